"""The journal's tables and the migrations between schema versions.

The version lives in SQLite's ``PRAGMA user_version``.  ``MIGRATIONS[n]`` turns
a version-``n`` database into version ``n + 1``; each runs in its own
transaction together with the version bump, so a crash mid-migration leaves
the old version intact.  To change the schema, append a function — never edit
one that has shipped.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from voice_coach.errors import JournalError

# All times are UTC ISO-8601 text (see timestamps.py); foot is 'left', 'right' or NULL.
_V1 = """
CREATE TABLE sessions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    client           TEXT,
    routine          TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    ended_at         TEXT,
    completed        INTEGER,                    -- NULL until session_ended
    abandoned        INTEGER NOT NULL DEFAULT 0, -- 1: crashed and the user declined to resume
    pain_before      INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after       INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    last_activity_at TEXT NOT NULL
);
CREATE INDEX sessions_by_client ON sessions (client, started_at);
CREATE INDEX sessions_by_start ON sessions (started_at);

CREATE TABLE steps (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    step_index    INTEGER NOT NULL,
    step_id       TEXT NOT NULL,
    foot          TEXT CHECK (foot IN ('left', 'right')),
    reached_at    TEXT NOT NULL,
    seconds_spent REAL                           -- NULL until foot_time arrives
);
CREATE INDEX steps_by_session ON steps (session_id, step_index);

CREATE TABLE commands (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    intent     TEXT NOT NULL
);
CREATE INDEX commands_by_session ON commands (session_id);

-- The latest position of each session, overwritten in place: what resume needs.
CREATE TABLE progress (
    session_id  INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    step_index  INTEGER NOT NULL,
    step_id     TEXT NOT NULL,
    foot        TEXT CHECK (foot IN ('left', 'right')),
    remaining_s REAL,                            -- NULL: the whole step/foot is still to do
    at          TEXT NOT NULL
);
"""


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _V1.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, where: str) -> None:
    """Bring the database up to ``SCHEMA_VERSION``; refuse a newer one."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise JournalError(
            f"{where}: the journal has schema version {version}, this voice-coach knows up to {SCHEMA_VERSION}",
            "update voice-coach, or point --journal / [journal] path at another file",
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= target:
                conn.execute("ROLLBACK")
                continue
            MIGRATIONS[target - 1](conn)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
