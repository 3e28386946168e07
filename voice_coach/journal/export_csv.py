"""One CSV row per session, for spreadsheets (columns documented in docs/journal.md)."""

from __future__ import annotations

import csv
from typing import Iterable, TextIO

from voice_coach.journal.queries import SessionSummary

COLUMNS = (
    "session_id", "client", "routine", "started_at", "ended_at", "duration_s", "status", "completed",
    "pain_before", "pain_after", "pain_change", "steps_reached", "commands",
)


def _blank(value: object) -> object:
    return "" if value is None else value


def session_row(s: SessionSummary) -> dict[str, object]:
    """A session as plain values; times in local time, ISO-8601 with offset."""
    change = s.pain_after - s.pain_before if s.pain_before is not None and s.pain_after is not None else None
    return {
        "session_id": s.id,
        "client": s.client,
        "routine": s.routine,
        "started_at": s.started_at.astimezone().isoformat(timespec="seconds"),
        "ended_at": s.ended_at.astimezone().isoformat(timespec="seconds") if s.ended_at else None,
        "duration_s": round(s.duration_s),
        "status": s.status,
        "completed": s.completed,
        "pain_before": s.pain_before,
        "pain_after": s.pain_after,
        "pain_change": change,
        "steps_reached": s.steps_reached,
        "commands": s.commands,
    }


def write_csv(sessions: Iterable[SessionSummary], out: TextIO) -> int:
    """Write the header and one row per session; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for s in sessions:
        row = session_row(s)
        row["completed"] = "yes" if s.completed else "no"
        writer.writerow({k: _blank(v) for k, v in row.items()})
        count += 1
    return count
