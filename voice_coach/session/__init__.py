"""The pure session core: ``(state, event, now) -> (state, actions)``."""

from voice_coach.session.engine import describe, new_session, next_deadline, resume_point, step
from voice_coach.session.state import Phase, ResumePoint, SessionState, Stage, StatusView

__all__ = ["Phase", "ResumePoint", "SessionState", "Stage", "StatusView", "describe", "new_session",
           "next_deadline", "resume_point", "step"]
