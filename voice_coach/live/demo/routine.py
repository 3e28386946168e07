"""The demo's routine: a clearly labelled, shortened copy of a built-in."""

from __future__ import annotations

import dataclasses

from voice_coach.routines.library import RoutineLibrary
from voice_coach.routines.model import Routine, StepKind

DEMO_BASE = "heel-spur"
DEMO_STEPS = 2
DEMO_SECONDS_PER_FOOT = 20


def demo_routine(library: RoutineLibrary) -> Routine:
    """The first two techniques of the heel spur routine, 20 s per foot (the real one runs 2 min).

    The title says it is a shortened demo copy so nobody mistakes it for the
    real timing; cautions and safety questions are kept as they are.
    """
    base = library.get(DEMO_BASE)
    steps = tuple(
        dataclasses.replace(step, seconds=min(step.seconds or DEMO_SECONDS_PER_FOOT, DEMO_SECONDS_PER_FOOT))
        if step.kind is StepKind.TIMED else step
        for step in base.steps[:DEMO_STEPS]
    )
    return dataclasses.replace(base, title=f"{base.title} (demo copy: {DEMO_STEPS} techniques, "
                                           f"{DEMO_SECONDS_PER_FOOT} seconds per foot)", steps=steps)


def demo_library(library: RoutineLibrary) -> RoutineLibrary:
    return RoutineLibrary([demo_routine(library)])
