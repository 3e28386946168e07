"""The immutable session state and the small value types around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from voice_coach.config import SessionSettings, SpeechSettings
from voice_coach.routines.model import Routine, Step
from voice_coach.session.timers import Timer

LEFT = "left"
RIGHT = "right"
FEET = (LEFT, RIGHT)


class Phase(StrEnum):
    IDLE = "idle"  # no routine chosen yet
    RESUME_OFFER = "resume_offer"  # "Resume the … routine at …? Say yes or no."
    PAIN_BEFORE = "pain_before"
    SAFETY = "safety"  # a safety yes/no question is open
    SAFETY_CONTINUE = "safety_continue"  # after a "yes": "Do you want to continue?"
    STEP = "step"
    PAIN_AFTER = "pain_after"
    ENDED = "ended"


# Phases in which the coach waits for an answer (yes/no or a pain score).
QUESTION_PHASES = frozenset({Phase.RESUME_OFFER, Phase.PAIN_BEFORE, Phase.SAFETY, Phase.SAFETY_CONTINUE,
                             Phase.PAIN_AFTER})


class Stage(StrEnum):
    """Where a step (one foot of it) is."""

    ANNOUNCING = "announcing"  # instructions and "Left foot, two minutes, begin" being spoken
    RUNNING = "running"  # timer or rep count running
    WAITING = "waiting"  # manual step: waits for "next"


@dataclass(frozen=True)
class ResumePoint:
    """Where an interrupted session stopped (built by the journal from Log actions).

    foot: "left", "right" or None.  remaining_s: seconds left on that foot's
    timer, None = the whole stage.
    """

    routine_id: str
    step_index: int
    foot: str | None
    remaining_s: float | None


@dataclass(frozen=True)
class Utterance:
    """A sentence said but not yet reported finished.

    resay: say it again after a cut-in answer (instructions and questions);
    False for replies and timer cues, which are only true at their moment.
    """

    id: int
    text: str
    resay: bool = True


@dataclass(frozen=True)
class SessionState:
    """Everything the engine knows; replaced, never mutated.

    unfinished: utterances said but not yet reported finished, in order.
    question_id: the utterance asking the open question while it waits behind
        earlier speech; None once the coach has started asking it (only then
        can yes/no/pain answer it).
    ending_early: the closing pain question was asked because of "end session".
    awaiting_id: the "…, begin." utterance whose end starts the stage timer.
    await_deadline: start the timer anyway at this time if that report never comes.
    intro_cut: the step instructions were cut off, so a resume re-reads them.
    rate_wpm / volume: the speech settings as adjusted by slower/louder…
    """

    library: Any = field(compare=False, repr=False)
    settings: SessionSettings
    phase: Phase = Phase.IDLE
    routine: Routine | None = None
    step_index: int = 0
    foot: str | None = None
    stage: Stage | None = None
    timer: Timer | None = None
    fired: frozenset[str] = frozenset()
    paused: bool = False
    question_index: int = 0
    awaiting_id: int | None = None
    await_deadline: float | None = None
    intro_cut: bool = False
    stage_intro: str | None = None  # what was said before the go cue, for repeat/resume
    next_progress_at: float | None = None
    unfinished: tuple[Utterance, ...] = ()
    question_id: int | None = None
    ending_early: bool = False
    next_utterance_id: int = 1
    last_instruction: str = ""
    last_command: str | None = None
    resume: ResumePoint | None = None
    fallback_routine_id: str | None = None  # started when a resume offer is declined
    rate_wpm: int = 160
    volume: float = 0.9
    speech_settings: SpeechSettings = SpeechSettings()

    @property
    def speaking(self) -> frozenset[int]:
        """Ids of the utterances said but not yet reported finished."""
        return frozenset(u.id for u in self.unfinished)

    @property
    def current_step(self) -> Step | None:
        if self.phase is not Phase.STEP or self.routine is None:
            return None
        return self.routine.steps[self.step_index]


@dataclass(frozen=True)
class StatusView:
    """What a status display shows; times are seconds, indexes 1-based."""

    phase: str
    routine_title: str | None
    step_title: str | None
    step_number: int | None
    step_count: int | None
    foot: str | None
    seconds_left: float | None
    paused: bool
    last_command: str | None
    stage: str | None = None
