"""Everything the coach can be told, in one place.

This is the single source of truth for the phrasings: the Vosk phrase list,
the PocketSphinx grammar/dictionary and the text parser are all generated
from it (via ``voice_coach.grammar.Grammar``).

Choosing synonyms: every phrase is matched as a *whole utterance*, so a
synonym only risks a false command when someone says exactly it and nothing
else.  Phrases a therapist would plausibly say *to the client* as a whole
sentence ("slow down", "speed up", "relax", "softer?" about pressure) are
left out on purpose, and
nothing but "stop" itself starts with "stop", so "stop" never has to wait to
see whether a longer command follows.
"""

from __future__ import annotations

from typing import Iterator, Mapping

from voice_coach.grammar.normalize import number_words
from voice_coach.intents import Command, Intent

# Commands without slots.  The first phrasing of each intent is the canonical one.
FIXED_PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.NEXT: ("next", "next step", "done"),
    Intent.PREVIOUS: ("go back", "previous step", "back", "previous"),
    Intent.SKIP: ("skip", "skip this", "skip step", "skip this step"),
    Intent.PAUSE: ("pause", "wait", "hold on"),
    Intent.RESUME: ("resume", "continue", "go on", "keep going"),
    Intent.STOP: ("stop",),
    Intent.END: ("end session", "end the session", "finish session", "end routine"),
    Intent.REPEAT: ("repeat", "repeat that", "say that again", "say it again"),
    Intent.TIME_LEFT: (
        "how much time is left",
        "how much time left",
        "time left",
        "how long left",
        "how long is left",
        "time remaining",
    ),
    Intent.SWITCH_FOOT: ("switch foot", "other foot", "switch feet", "change foot"),
    Intent.SLOWER: ("slower", "speak slower"),
    Intent.FASTER: ("faster", "speak faster"),
    Intent.LOUDER: ("louder", "speak louder", "speak up"),
    Intent.QUIETER: ("quieter", "speak quieter"),
    Intent.HELP: ("help", "what can i say"),
    Intent.LIST_ROUTINES: ("list routines", "list the routines", "which routines"),
    Intent.YES: ("yes", "yeah"),
    Intent.NO: ("no", "nope"),
}

# "{name}" is one of a routine's spoken names (from the routine files).
START_TEMPLATES: tuple[str, ...] = (
    "start {name} routine",
    "begin {name} routine",
    "start {name}",
    "begin {name}",
    "start the {name} routine",
    "begin the {name} routine",
)

# "add <N> seconds": the values people actually use, ten to ninety.
ADD_SECONDS: tuple[int, ...] = (10, 15, 20, 30, 40, 45, 50, 60, 70, 80, 90)
# "add <N> minute(s)", one to five.
ADD_MINUTES: tuple[int, ...] = (1, 2, 3, 4, 5)
# Fixed phrasings that add time; "more time" without a number means 30 s.
DEFAULT_EXTRA_SECONDS = 30
ADD_TIME_FIXED: dict[str, int] = {
    "more time": DEFAULT_EXTRA_SECONDS,
    "add more time": DEFAULT_EXTRA_SECONDS,
    "add a minute": 60,
}

PAIN_LEVELS: tuple[int, ...] = tuple(range(11))
PAIN_TEMPLATES: tuple[str, ...] = ("pain {level}", "pain level {level}", "my pain is {level}")

# One phrase per intent, for help text ("you can say: …").
EXAMPLE_PHRASES: dict[Intent, str] = {
    **{intent: phrasings[0] for intent, phrasings in FIXED_PHRASES.items()},
    Intent.START_ROUTINE: "start heel routine",
    Intent.ADD_TIME: "add thirty seconds",
    Intent.PAIN: "pain five",
}
assert set(EXAMPLE_PHRASES) == set(Intent), "every intent needs an example phrase"


def command_phrases(routine_names: Mapping[str, str]) -> Iterator[tuple[str, Command]]:
    """Every accepted phrasing with the command it means.

    ``routine_names`` maps a normalized spoken name ("heel spur") to its routine id.
    Phrase text is lowercase words separated by single spaces.
    """
    for intent, phrasings in FIXED_PHRASES.items():
        for text in phrasings:
            yield text, Command(intent, {}, text)
    for name, routine_id in routine_names.items():
        for template in START_TEMPLATES:
            text = template.format(name=name)
            yield text, Command(Intent.START_ROUTINE, {"routine": routine_id}, text)
    for seconds in ADD_SECONDS:
        text = f"add {number_words(seconds)} seconds"
        yield text, Command(Intent.ADD_TIME, {"seconds": seconds}, text)
    for minutes in ADD_MINUTES:
        unit = "minute" if minutes == 1 else "minutes"
        text = f"add {number_words(minutes)} {unit}"
        yield text, Command(Intent.ADD_TIME, {"seconds": 60 * minutes}, text)
    for text, seconds in ADD_TIME_FIXED.items():
        yield text, Command(Intent.ADD_TIME, {"seconds": seconds}, text)
    for level in PAIN_LEVELS:
        for template in PAIN_TEMPLATES:
            text = template.format(level=number_words(level))
            yield text, Command(Intent.PAIN, {"level": level}, text)
