"""The demo's routine: a clearly labelled, shortened copy of a built-in."""

from __future__ import annotations

import dataclasses

from voice_coach.routines.library import RoutineLibrary
from voice_coach.routines.model import Routine, StepKind

DEMO_BASE = "heel-spur"
DEMO_STEPS = 2
DEMO_SECONDS_PER_FOOT = 20


def seconds_per_foot(speed: float = 1.0) -> int:
    """The demo timer per foot at ``speed``: 20 s at 1, 4 s at 5, 1 s at 20 (whole seconds, at least 1)."""
    return max(1, round(DEMO_SECONDS_PER_FOOT / speed))


def demo_routine(library: RoutineLibrary, speed: float = 1.0) -> Routine:
    """The first two techniques of the heel spur routine, 20 s per foot (the real one runs 2 min).

    ``speed`` N shortens the timers N-fold, and only the timers: the coach says
    the shortened times, so what it says stays true on the one clock that
    speech, cues and the scripted therapist share.  The title says it is a
    shortened demo copy so nobody mistakes it for the real timing; cautions and
    safety questions are kept as they are.
    """
    base = library.get(DEMO_BASE)
    per_foot = seconds_per_foot(speed)
    steps = tuple(
        dataclasses.replace(step, seconds=min(step.seconds or per_foot, per_foot))
        if step.kind is StepKind.TIMED else step
        for step in base.steps[:DEMO_STEPS]
    )
    unit = "second" if per_foot == 1 else "seconds"
    return dataclasses.replace(base, title=f"{base.title} (demo copy: {DEMO_STEPS} techniques, "
                                           f"{per_foot} {unit} per foot)", steps=steps)


def demo_library(library: RoutineLibrary, speed: float = 1.0) -> RoutineLibrary:
    return RoutineLibrary([demo_routine(library, speed)])
