"""Finding the session a crash or power cut interrupted, and where it stood."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from voice_coach.journal.timestamps import from_db


@dataclass(frozen=True)
class ResumePosition:
    """Where to pick up: the same fields as the engine's ``ResumePoint`` minus the routine.

    remaining_s: seconds left on this step (this foot for per-foot steps);
        None when the step was reached but no time had been journaled yet,
        i.e. the whole step is still to do.
    """

    step_index: int
    step_id: str
    foot: str | None
    remaining_s: float | None


@dataclass(frozen=True)
class UnfinishedSession:
    """The last session, when it never got ``session_ended`` and was not abandoned."""

    session_id: int
    routine_id: str
    client: str | None
    started_at: datetime
    last_activity_at: datetime
    position: ResumePosition

    def resume_point(self):
        """The engine's ``ResumePoint`` for ``new_session(..., resume=...)``."""
        from voice_coach.session.state import ResumePoint  # only the runner needs the engine

        return ResumePoint(
            routine_id=self.routine_id,
            step_index=self.position.step_index,
            foot=self.position.foot,
            remaining_s=self.position.remaining_s,
        )


def find_unfinished(conn: sqlite3.Connection) -> UnfinishedSession | None:
    """The most recent session if it was cut off after reaching a step.

    Only the very last session counts: once a newer session has started, an
    older interrupted one is history, not something to offer again.  A session
    cut off before its first step has nothing to resume; it stays in history as
    "interrupted" and the next run simply starts fresh.
    """
    row = conn.execute(
        "SELECT s.id, s.routine, s.client, s.started_at, s.last_activity_at,"
        "       p.step_index, p.step_id, p.foot, p.remaining_s"
        " FROM sessions s JOIN progress p ON p.session_id = s.id"
        " WHERE s.id = (SELECT MAX(id) FROM sessions) AND s.ended_at IS NULL AND s.abandoned = 0"
    ).fetchone()
    if row is None:
        return None
    sid, routine, client, started, last, step_index, step_id, foot, remaining = row
    return UnfinishedSession(
        session_id=sid,
        routine_id=routine,
        client=client,
        started_at=from_db(started),
        last_activity_at=from_db(last),
        position=ResumePosition(step_index, step_id, foot, remaining),
    )
