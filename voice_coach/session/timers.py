"""An exact, pausable countdown and the cue schedule of a step.

Time is kept as *elapsed* seconds rather than an end time: pausing adds the
running span to ``elapsed_before_s`` and resuming restarts from it, so the
remaining time after a resume is bit-for-bit what it was at the pause.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from voice_coach.config import SessionSettings
from voice_coach.routines.model import Step, StepKind

# Cues are compared with this slack so a Tick delivered at exactly
# ``next_deadline`` fires the cue despite float rounding of started_at + offset.
EPSILON_S = 1e-6
DEFAULT_SECONDS_PER_REP = 3.0
HALFWAY_MIN_S = 60.0  # shorter timers get no halfway cue (it would crowd the final warning)


@dataclass(frozen=True)
class Timer:
    """duration_s: total length, seconds.  elapsed_before_s: time run up to the last (re)start.
    started_at: monotonic time of the last start, None while stopped or paused.
    credited_s: elapsed time carried over from an earlier session (resume), not spent now.
    """

    duration_s: float
    elapsed_before_s: float = 0.0
    started_at: float | None = None
    credited_s: float = 0.0

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self, now: float) -> float:
        if self.started_at is None:
            return self.elapsed_before_s
        return self.elapsed_before_s + max(0.0, now - self.started_at)

    def remaining(self, now: float) -> float:
        return max(0.0, self.duration_s - self.elapsed(now))

    def spent(self, now: float) -> float:
        """Seconds actually run in this session (pauses and carried-over time excluded)."""
        return max(0.0, min(self.elapsed(now), self.duration_s) - self.credited_s)

    def time_at(self, elapsed: float) -> float | None:
        """Monotonic time at which ``elapsed`` is reached, None when not running."""
        if self.started_at is None:
            return None
        return self.started_at + (elapsed - self.elapsed_before_s)

    def start(self, now: float) -> Timer:
        return self if self.running else dataclasses.replace(self, started_at=now)

    def pause(self, now: float) -> Timer:
        if not self.running:
            return self
        return dataclasses.replace(self, elapsed_before_s=self.elapsed(now), started_at=None)

    def extend(self, seconds: float) -> Timer:
        return dataclasses.replace(self, duration_s=self.duration_s + seconds)


@dataclass(frozen=True)
class Cue:
    """Something to say ``at`` elapsed seconds into a timer; ``name`` is unique per timer."""

    name: str
    at: float


END = "end"
HALFWAY = "halfway"
FINAL = "final"


def seconds_per_rep(step: Step) -> float:
    return step.seconds_per_rep or DEFAULT_SECONDS_PER_REP


def stage_duration(step: Step) -> float | None:
    """Timer length of one stage (one foot) of a step; None for manual steps."""
    if step.kind is StepKind.TIMED:
        return float(step.seconds or 0)
    if step.kind is StepKind.REPS:
        return (step.reps or 1) * seconds_per_rep(step)
    return None


def cue_schedule(step: Step, duration: float, settings: SessionSettings) -> list[Cue]:
    """The cues of one stage in time order, the timer's end last."""
    cues: list[Cue] = []
    if step.kind is StepKind.REPS:
        per_rep = seconds_per_rep(step)
        count = max(1, round(duration / per_rep))
        # The last count is said together with the end of the stage.
        cues = [Cue(f"rep{k}", k * per_rep) for k in range(1, count)]
    else:
        warning = float(settings.final_warning_s)
        if settings.halfway_cue and duration >= HALFWAY_MIN_S:
            cues.append(Cue(HALFWAY, duration / 2))
        if warning > 0 and duration >= 2 * warning:
            cues.append(Cue(FINAL, duration - warning))
    cues.sort(key=lambda c: c.at)
    cues.append(Cue(END, duration))
    return cues


def passed_cues(cues: list[Cue], elapsed: float) -> frozenset[str]:
    """Names of cues already due at ``elapsed`` (used when a timer starts part-way)."""
    return frozenset(c.name for c in cues if c.at <= elapsed + EPSILON_S and c.name != END)
