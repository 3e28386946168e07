"""How long steps and routines take when nobody pauses (manual steps count as zero)."""

from __future__ import annotations

from voice_coach.routines.model import Routine, Step, StepKind


def step_seconds(step: Step) -> float:
    """Running time of one step in seconds, both feet included for per-foot steps."""
    feet = 2 if step.per_foot else 1
    if step.kind is StepKind.TIMED:
        return float(step.seconds or 0) * feet
    if step.kind is StepKind.REPS:
        return float(step.reps or 0) * float(step.seconds_per_rep or 0) * feet
    return 0.0


def routine_seconds(routine: Routine) -> float:
    return sum(step_seconds(step) for step in routine.steps)
