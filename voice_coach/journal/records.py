"""Turning one engine ``Log`` action into rows.

Kinds and data are the contract in ``voice_coach.session.messages.Log``.  Each
function runs inside the caller's transaction; data is checked first so a
malformed log raises ``ValueError`` (an engine bug) without writing anything.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:  # importing the engine package at run time would slow down history/export
    from voice_coach.session.messages import Log


FEET = ("left", "right", None)
PAIN_WHEN = ("before", "after")

log = logging.getLogger(__name__)


def _field(kind: str, data: Mapping[str, object], key: str, types: tuple[type, ...], allow_none: bool = False):
    if key not in data:
        raise ValueError(f"journal: {kind} log is missing {key!r} (got {dict(data)!r})")
    value = data[key]
    if value is None and allow_none:
        return None
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        raise ValueError(f"journal: {kind} log field {key!r} = {value!r} is not {'/'.join(t.__name__ for t in types)}")
    return value


def _position(kind: str, data: Mapping[str, object]) -> tuple[int, str, str | None]:
    step_index = _field(kind, data, "step_index", (int,))
    if step_index < 0:
        raise ValueError(f"journal: {kind} step_index {step_index} is negative")
    step_id = _field(kind, data, "step_id", (str,))
    foot = _field(kind, data, "foot", (str,), allow_none=True)
    if foot not in FEET:
        raise ValueError(f"journal: {kind} foot {foot!r} is not 'left', 'right' or None")
    return step_index, step_id, foot


def _seconds(kind: str, data: Mapping[str, object], key: str) -> float:
    value = float(_field(kind, data, key, (int, float)))
    if value < 0:
        raise ValueError(f"journal: {kind} {key} {value} is negative")
    return value


def _set_progress(conn: sqlite3.Connection, sid: int, step_index: int, step_id: str,
                  foot: str | None, remaining_s: float | None, at: str) -> None:
    conn.execute(
        "INSERT INTO progress (session_id, step_index, step_id, foot, remaining_s, at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (session_id) DO UPDATE SET step_index = excluded.step_index, step_id = excluded.step_id,"
        " foot = excluded.foot, remaining_s = excluded.remaining_s, at = excluded.at",
        (sid, step_index, step_id, foot, remaining_s, at),
    )


def _step_row(conn: sqlite3.Connection, sid: int, step_index: int, foot: str | None) -> int | None:
    row = conn.execute(
        "SELECT id FROM steps WHERE session_id = ? AND step_index = ? AND foot IS ? ORDER BY id DESC LIMIT 1",
        (sid, step_index, foot),
    ).fetchone()
    return row[0] if row else None


def _session_started(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    routine = _field("session_started", data, "routine", (str,))
    # Also reached when a resumed session is announced again: keep its rows, refresh the routine.
    conn.execute("UPDATE sessions SET routine = ? WHERE id = ?", (routine, sid))


def _step_reached(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    step_index, step_id, foot = _position("step_reached", data)
    # Going back ("previous") or resuming revisits a step: one row per step and foot, time adds up.
    if _step_row(conn, sid, step_index, foot) is None:
        conn.execute(
            "INSERT INTO steps (session_id, step_index, step_id, foot, reached_at) VALUES (?, ?, ?, ?, ?)",
            (sid, step_index, step_id, foot, at),
        )
    _set_progress(conn, sid, step_index, step_id, foot, None, at)


def _foot_time(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    step_index, step_id, foot = _position("foot_time", data)
    seconds = _seconds("foot_time", data, "seconds")
    row_id = _step_row(conn, sid, step_index, foot)
    if row_id is None:  # the engine timed a foot it never announced: keep the time anyway
        conn.execute(
            "INSERT INTO steps (session_id, step_index, step_id, foot, reached_at, seconds_spent)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (sid, step_index, step_id, foot, at, seconds),
        )
    else:
        conn.execute("UPDATE steps SET seconds_spent = COALESCE(seconds_spent, 0) + ? WHERE id = ?",
                     (seconds, row_id))
    # This foot is done: a crash now should resume with nothing left on it.
    _set_progress(conn, sid, step_index, step_id, foot, 0.0, at)


def _progress(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    step_index, step_id, foot = _position("progress", data)
    # None: no timer is running yet (instructions still being read, a manual step): the whole stage is left.
    remaining = None if data.get("remaining_s", 0) is None else _seconds("progress", data, "remaining_s")
    _set_progress(conn, sid, step_index, step_id, foot, remaining, at)


def _command(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    intent = str(_field("command", data, "intent", (str,)))  # Intent is a StrEnum: store its plain value
    conn.execute("INSERT INTO commands (session_id, at, intent) VALUES (?, ?, ?)", (sid, at, intent))


def _pain(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    when = _field("pain", data, "when", (str,))
    if when not in PAIN_WHEN:
        raise ValueError(f"journal: pain 'when' {when!r} is not 'before' or 'after'")
    level = _field("pain", data, "level", (int,))
    if not 0 <= level <= 10:
        raise ValueError(f"journal: pain level {level} is outside 0–10")
    column = "pain_before" if when == "before" else "pain_after"
    conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (level, sid))


def _session_ended(conn: sqlite3.Connection, sid: int, data: Mapping[str, object], at: str) -> None:
    completed = _field("session_ended", data, "completed", (bool,))
    conn.execute("UPDATE sessions SET ended_at = ?, completed = ? WHERE id = ?", (at, int(completed), sid))


WRITERS: dict[str, Callable[[sqlite3.Connection, int, Mapping[str, object], str], None]] = {
    "session_started": _session_started,
    "step_reached": _step_reached,
    "foot_time": _foot_time,
    "progress": _progress,
    "command": _command,
    "pain": _pain,
    "session_ended": _session_ended,
}


def write_log(conn: sqlite3.Connection, sid: int, entry: Log, at: str) -> bool:
    """Write ``entry`` for session ``sid``; False (and a warning) for a kind this version does not know."""
    writer = WRITERS.get(entry.kind)
    if writer is None:
        # A newer engine may add kinds; losing one record beats stopping a session mid-massage.
        log.warning("journal: ignoring unknown log kind %r", entry.kind)
        return False
    writer(conn, sid, entry.data, at)
    conn.execute("UPDATE sessions SET last_activity_at = ? WHERE id = ?", (at, sid))
    return True
