"""Small routines built from the model dataclasses, independent of the shipped data files."""

from __future__ import annotations

from voice_coach.routines.library import RoutineLibrary
from voice_coach.routines.model import Routine, SafetyQuestion, Step, StepKind

ROLL = Step("roll", "Ball rolling", StepKind.TIMED, "Roll the ball under the arch.", seconds=120,
            per_foot=True, tools=("a tennis ball",))
CIRCLES = Step("circles", "Heel circles", StepKind.REPS, "Draw circles with the heel.", reps=3,
               seconds_per_rep=2.0, per_foot=True)
OIL = Step("oil", "Oil", StepKind.MANUAL, "Warm a little oil in your hands.")
SOAK = Step("soak", "Warm soak", StepKind.TIMED, "Soak both feet in warm water.", seconds=600)
SHORT = Step("short", "Short press", StepKind.TIMED, "Press gently.", seconds=30)

SAFETY = (
    SafetyQuestion("Are there open wounds or blisters on the feet?", "Then avoid those areas completely."),
    SafetyQuestion("Do you have diabetes or numbness in the feet?", "Then use only gentle pressure."),
    SafetyQuestion("A third question that must never be asked?", "Never said."),
)

FEET = Routine(id="feet", title="Test feet", source="test.txt", spoken_names=("test feet",),
               intro="A routine for tests.", steps=(ROLL, CIRCLES, OIL, SOAK), safety_questions=SAFETY,
               closing="Stretch your calves.")
QUICK = Routine(id="quick", title="Quick press", source="test.txt", spoken_names=("quick press",),
                intro="Just one short step.", steps=(SHORT,))


def make_library() -> RoutineLibrary:
    return RoutineLibrary([FEET, QUICK])
