"""Massage routines: the data model and the loader for TOML routine files."""

from voice_coach.routines.library import RoutineLibrary, UnknownRoutineError
from voice_coach.routines.loader import load_library, load_routine_file
from voice_coach.routines.model import Routine, SafetyQuestion, Step, StepKind

__all__ = [
    "Routine",
    "RoutineLibrary",
    "SafetyQuestion",
    "Step",
    "StepKind",
    "UnknownRoutineError",
    "load_library",
    "load_routine_file",
]
