"""Typed messages into and out of the session engine.

Events go in, actions come out.  ``now`` is always a monotonic time in seconds
supplied by the caller; the engine never reads a clock itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union

from voice_coach.intents import Command


# ---- events -----------------------------------------------------------------
@dataclass(frozen=True)
class CommandHeard:
    command: Command


@dataclass(frozen=True)
class Tick:
    """The clock moved on; sent at least at every ``next_deadline``."""


@dataclass(frozen=True)
class SpeechFinished:
    """The speaker finished (or was cut off during) utterance ``utterance_id``."""

    utterance_id: int


Event = Union[CommandHeard, Tick, SpeechFinished]


# ---- actions ----------------------------------------------------------------
@dataclass(frozen=True)
class Say:
    """Speak ``text``; the speaker answers with ``SpeechFinished(utterance_id)``."""

    text: str
    utterance_id: int


@dataclass(frozen=True)
class StopSpeaking:
    """Silence the speaker at once and drop everything queued."""


CHIME_KINDS = ("start", "switch", "step_done", "attention", "finish")


@dataclass(frozen=True)
class Chime:
    """Play a generated tone; ``kind`` is one of ``CHIME_KINDS``."""

    kind: str


@dataclass(frozen=True)
class StartTimer:
    """A countdown started (informational for displays): ``seconds`` long."""

    name: str
    seconds: float


@dataclass(frozen=True)
class StopTimer:
    name: str


@dataclass(frozen=True)
class AdjustSpeech:
    """Change speech rate (words per minute) and volume (0.0–1.0) by these deltas."""

    rate_delta_wpm: int = 0
    volume_delta: float = 0.0


@dataclass(frozen=True)
class Log:
    """A record for the journal.

    Kinds and data (contract with voice_coach.journal):
      session_started {routine}
      step_reached    {step_index, step_id, foot}          foot: "left"|"right"|None
      foot_time       {step_index, step_id, foot, seconds}  time actually spent
      progress        {step_index, step_id, foot, remaining_s}  periodic, for resume
      command         {intent}
      pain            {when: "before"|"after", level}
      session_ended   {completed: bool}
    """

    kind: str
    data: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class EndSession:
    """The session is over; the runner may exit."""


Action = Union[Say, StopSpeaking, Chime, StartTimer, StopTimer, AdjustSpeech, Log, EndSession]
