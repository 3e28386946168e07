"""What an enrollment asks for: the core commands a therapist says every session."""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.errors import ConfigError, RoutineError
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
    """One command to enroll: the words to say and the model label they stand for.

    own: the person's own words for a command (``enroll --phrase``): their takes are counted by
    these words, so the core takes of the same command do not count for them.
    """

    text: str
    label: str
    own: bool = False


def core_prompts(grammar: Grammar) -> list[Prompt]:
    prompts = []
    for text in CORE_PHRASES:
        command = grammar.parse(text)
        if command is None:  # the phrase table changed under us: a bug, not a user error
            raise RoutineError(f"the core command {text!r} is not in the grammar", "update voice_coach/enrollment/phrases.py")
        prompts.append(Prompt(text, label_of(command)))
    return prompts


def own_prompts(grammar: Grammar, phrases: list[str], known_labels: tuple[str, ...]) -> list[Prompt]:
    """Prompts for the person's own words for commands ("hold on", "how long is left"); a
    phrase that is no command, or one the neural model has no class for, is a ConfigError."""
    prompts: list[Prompt] = []
    for raw in phrases:
        text = " ".join(raw.lower().split())
        command = grammar.parse(text) if text else None
        if command is None:
            raise ConfigError(f"--phrase {raw!r} is not a command the coach knows",
                              "use the words of a command phrase (README, \"Using it by voice\"), "
                              "e.g. --phrase \"hold on\" or --phrase \"how long is left\"")
        label = label_of(command)
        if label not in known_labels:
            raise ConfigError(f"--phrase {raw!r} ({label}) is a command the neural model has no class for, "
                              "so a voice profile cannot help it", "choose the phrase of another command")
        if all(p.text != text for p in prompts):
            prompts.append(Prompt(text, label, own=True))
    return prompts


def own_words(texts: tuple[str, ...]) -> tuple[str, ...]:
    """The enrolled words beyond the core list (``--phrase``, or recordings named so), in the
    order they were first enrolled."""
    return tuple(dict.fromkeys(t for t in texts if t and t not in CORE_PHRASES))
