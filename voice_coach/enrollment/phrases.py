"""What an enrollment asks for: the core commands a therapist says every session."""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.errors import RoutineError
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.model import label_of

_PAIN_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
CORE_PHRASES: tuple[str, ...] = (
    "stop", "next", "pause", "resume", "repeat", "go back", "skip", "time left", "add thirty seconds",
    "yes", "no", *(f"pain {word}" for word in _PAIN_WORDS), "switch foot", "help",
)
TAKES_PER_COMMAND = 3


@dataclass(frozen=True)
class Prompt:
    """One command to enroll: the words to say and the model label they stand for."""

    text: str
    label: str


def core_prompts(grammar: Grammar) -> list[Prompt]:
    prompts = []
    for text in CORE_PHRASES:
        command = grammar.parse(text)
        if command is None:  # the phrase table changed under us: a bug, not a user error
            raise RoutineError(f"the core command {text!r} is not in the grammar", "update voice_coach/enrollment/phrases.py")
        prompts.append(Prompt(text, label_of(command)))
    return prompts
