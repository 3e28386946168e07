"""What the coach can be asked: intent names and the recognized-command message.

The intent names are a contract between recognition (grammar/parser) and the
session engine; do not rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping


class Intent(StrEnum):
    START_ROUTINE = "start_routine"  # slots: routine=<routine id>
    NEXT = "next"
    PREVIOUS = "previous"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    END = "end"
    REPEAT = "repeat"
    TIME_LEFT = "time_left"
    SWITCH_FOOT = "switch_foot"
    ADD_TIME = "add_time"  # slots: seconds=<int>
    SLOWER = "slower"
    FASTER = "faster"
    LOUDER = "louder"
    QUIETER = "quieter"
    HELP = "help"
    LIST_ROUTINES = "list_routines"
    YES = "yes"
    NO = "no"
    PAIN = "pain"  # slots: level=<int 0..10>


@dataclass(frozen=True)
class Command:
    """One whole utterance understood as a command.

    ``slots`` holds ``routine`` (str id), ``seconds`` (int) or ``level`` (int).
    ``text`` is the normalized words that were heard.
    """

    intent: Intent
    slots: Mapping[str, int | str] = field(default_factory=dict)
    text: str = ""
