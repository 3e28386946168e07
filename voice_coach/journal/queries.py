"""Reading the journal back: session summaries, client codes, pain per day."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean

from voice_coach.journal.timestamps import from_db, local_day, local_midnight, to_db

STATUSES = ("completed", "ended early", "interrupted", "abandoned")


@dataclass(frozen=True)
class SessionSummary:
    """One session as history shows it.

    duration_s: wall-clock seconds from start to end (to the last journaled
        moment for sessions that never ended).
    status: "completed" (routine finished), "ended early" (user said end),
        "interrupted" (never ended: a crash or power cut not resumed, or a
        session still running right now), "abandoned" (crashed and the user
        declined to resume).
    """

    id: int
    client: str | None
    routine: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: float
    status: str
    pain_before: int | None
    pain_after: int | None
    steps_reached: int
    commands: int

    @property
    def completed(self) -> bool:
        return self.status == "completed"


@dataclass(frozen=True)
class PainDay:
    """Mean pain scores of one client's sessions on one local day (None: not asked that day)."""

    day: date
    before: float | None
    after: float | None
    sessions: int


def _status(ended_at: str | None, completed: int | None, abandoned: int) -> str:
    if abandoned:
        return "abandoned"
    if ended_at is None:
        return "interrupted"
    return "completed" if completed else "ended early"


_SUMMARY_SQL = """
SELECT s.id, s.client, s.routine, s.started_at, s.ended_at, s.completed, s.abandoned,
       s.pain_before, s.pain_after, s.last_activity_at,
       (SELECT COUNT(DISTINCT step_index) FROM steps WHERE session_id = s.id),
       (SELECT COUNT(*) FROM commands WHERE session_id = s.id)
FROM sessions s
WHERE (:client IS NULL OR s.client = :client) AND (:since IS NULL OR s.started_at >= :since)
ORDER BY s.started_at, s.id
"""


def list_sessions(conn: sqlite3.Connection, client: str | None = None, since: date | None = None) -> list[SessionSummary]:
    """Sessions oldest first, optionally one client's, optionally from local day ``since`` on."""
    params = {"client": client, "since": to_db(local_midnight(since)) if since else None}
    out = []
    for (sid, who, routine, started, ended, completed, abandoned,
         before, after, last, steps, commands) in conn.execute(_SUMMARY_SQL, params):
        start = from_db(started)
        end = from_db(ended) if ended else None
        out.append(SessionSummary(
            id=sid, client=who, routine=routine, started_at=start, ended_at=end,
            duration_s=max(0.0, ((end or from_db(last)) - start).total_seconds()),
            status=_status(ended, completed, abandoned),
            pain_before=before, pain_after=after, steps_reached=steps, commands=commands,
        ))
    return out


def client_codes(conn: sqlite3.Connection) -> list[str]:
    """Every client code in the journal, sorted (sessions without a code are not listed)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT client FROM sessions WHERE client IS NOT NULL ORDER BY client")]


def has_anonymous_sessions(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sessions WHERE client IS NULL LIMIT 1").fetchone() is not None


def pain_by_day(sessions: list[SessionSummary]) -> list[PainDay]:
    """Group sessions by local day; a day's score is the mean of the sessions that day that gave one."""
    by_day: dict[date, list[SessionSummary]] = defaultdict(list)
    for s in sessions:
        by_day[local_day(s.started_at)].append(s)
    days = []
    for day in sorted(by_day):
        group = by_day[day]
        befores = [s.pain_before for s in group if s.pain_before is not None]
        afters = [s.pain_after for s in group if s.pain_after is not None]
        days.append(PainDay(day, fmean(befores) if befores else None, fmean(afters) if afters else None, len(group)))
    return days
