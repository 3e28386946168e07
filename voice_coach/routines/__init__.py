"""Massage routines: the data model and the loader for TOML routine files."""

from voice_coach.routines.model import Routine, SafetyQuestion, Step, StepKind

__all__ = ["Routine", "SafetyQuestion", "Step", "StepKind"]
