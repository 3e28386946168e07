"""Typed, immutable description of a routine and its steps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class StepKind(StrEnum):
    TIMED = "timed"  # runs a timer of ``seconds`` (per foot when ``per_foot``)
    REPS = "reps"  # the coach counts ``reps`` repetitions aloud, ``seconds_per_rep`` apart
    MANUAL = "manual"  # waits for "next" / "done"


@dataclass(frozen=True)
class Step:
    """One technique or exercise.

    seconds: timer length in seconds (timed steps; per foot when ``per_foot``).
    reps: number of repetitions (reps steps; per foot when ``per_foot``).
    seconds_per_rep: cadence of the spoken count, in seconds per repetition.
    """

    id: str
    title: str
    kind: StepKind
    instructions: str
    seconds: int | None = None
    per_foot: bool = False
    reps: int | None = None
    seconds_per_rep: float | None = None
    tools: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SafetyQuestion:
    """A yes/no question asked before the first step; ``if_yes`` says what to avoid."""

    question: str
    if_yes: str


@dataclass(frozen=True)
class Routine:
    """A whole routine, faithful to one source article (``source`` is its file name)."""

    id: str
    title: str
    source: str
    spoken_names: tuple[str, ...]
    intro: str
    steps: tuple[Step, ...]
    safety_questions: tuple[SafetyQuestion, ...] = ()
    cautions: tuple[str, ...] = ()
    closing: str = ""
    origin: Path | None = None  # the file it was loaded from
