"""Log sequences shaped like the engine's output, and a helper to write them with times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

from voice_coach.journal import Journal
from voice_coach.session.messages import Log

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def position(kind: str, index: int, step_id: str, foot: str | None, **more: object) -> Log:
    return Log(kind, {"step_index": index, "step_id": step_id, "foot": foot, **more})


def per_foot_step(index: int, step_id: str, seconds: float, progress_every: float = 5.0) -> list[Log]:
    """step_reached, progress every few seconds and foot_time, for the left then the right foot."""
    logs: list[Log] = []
    for foot in ("left", "right"):
        logs.append(position("step_reached", index, step_id, foot))
        left = seconds - progress_every
        while left > 0:
            logs.append(position("progress", index, step_id, foot, remaining_s=left))
            left -= progress_every
        logs.append(position("foot_time", index, step_id, foot, seconds=seconds))
    return logs


def heel_session(pain_before: int = 6, pain_after: int = 3, completed: bool = True) -> list[Log]:
    """A short heel-spur session: two per-foot steps, a manual step, commands, both pain scores."""
    return [
        Log("session_started", {"routine": "heel-spur"}),
        Log("command", {"intent": "start_routine"}),
        Log("pain", {"when": "before", "level": pain_before}),
        *per_foot_step(0, "ball-rolling", 20.0),
        Log("command", {"intent": "time_left"}),
        *per_foot_step(1, "thumb-circles", 15.0),
        position("step_reached", 2, "closing-tips", None),
        Log("command", {"intent": "next"}),
        Log("pain", {"when": "after", "level": pain_after}),
        Log("session_ended", {"completed": completed}),
    ]


def write(journal: Journal, logs: Iterable[Log], client: str | None = "C01", start: datetime = T0,
          gap_s: float = 1.0) -> int:
    """Start a session at ``start`` and record ``logs`` ``gap_s`` apart; returns the session id."""
    sid = journal.start_session("heel-spur", client, start)
    for i, log in enumerate(logs, start=1):
        journal.record(sid, log, start + timedelta(seconds=i * gap_s))
    return sid
