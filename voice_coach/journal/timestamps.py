"""How wall-clock times are stored: UTC ISO-8601 text, all with the same shape.

One shape means the text sorts in time order, so ``started_at >= ?`` works in
SQL.  Naive datetimes are taken as local time (that is what ``datetime.now()``
gives the runner); days are grouped in local time when reading back.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone


def to_db(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.astimezone()  # interpret as local time
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def local_midnight(day: date) -> datetime:
    """The start of ``day`` in the machine's local time zone, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


def local_day(at: datetime) -> date:
    return at.astimezone().date()
