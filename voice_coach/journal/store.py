"""The journal: one SQLite file the live runner writes and ``history``/``export`` read.

Durability: WAL mode with ``synchronous=FULL`` makes every commit reach the
disk before ``record`` returns, and every ``record`` is its own transaction, so
a power cut loses at most the record being written and never corrupts the file.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from voice_coach.errors import JournalError
from voice_coach.journal import queries
from voice_coach.journal.files import create_private_file, default_journal_path, restrict_files
from voice_coach.journal.records import write_log
from voice_coach.journal.resume import UnfinishedSession, find_unfinished
from voice_coach.journal.schema import migrate
from voice_coach.journal.timestamps import to_db

if TYPE_CHECKING:  # importing the engine package at run time would slow down history/export
    from voice_coach.session.messages import Log

BUSY_TIMEOUT_MS = 5000  # history may read while the runner writes; wait rather than fail


class Journal:
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # ---- opening ---------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, *, create: bool = True) -> "Journal":
        """Open (and with ``create``, create owner-only) the journal at ``path``.

        ``create=False`` is for readers: a missing file is a ``JournalError``
        instead of a new empty journal.
        """
        path = Path(path) if path is not None else default_journal_path()
        if create:
            create_private_file(path)
        elif not path.is_file():
            raise JournalError(f"no journal at {path}",
                               "run a session first, or give the right file with --journal")
        try:
            # check_same_thread=False: the runner may open the journal on one thread and record from
            # its loop thread; calls are never concurrent (one owner at a time), which is all SQLite needs.
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise JournalError(f"cannot open the journal {path}: {exc}", "check the path and its permissions") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn, str(path))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise JournalError(f"{path} is not a readable voice-coach journal ({exc})",
                               "move the file aside (a new journal is created) or point --journal elsewhere") from None
        except BaseException:
            conn.close()
            raise
        restrict_files(path)  # the -wal/-shm files now exist
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front so a reader can never make us fail half-way.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # ---- writing ---------------------------------------------------------
    def start_session(self, routine_id: str, client: str | None, started_at: datetime) -> int:
        """Create a session row and return its id; ``client`` is a code, never a name."""
        at = to_db(started_at)
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO sessions (client, routine, started_at, last_activity_at) VALUES (?, ?, ?, ?)",
                (client or None, routine_id, at, at),
            )
        return int(cur.lastrowid)

    def record(self, session_id: int, log: Log, at: datetime) -> None:
        """Store one engine ``Log`` action for ``session_id``, committed durably on return."""
        with self._transaction() as conn:
            row = conn.execute("SELECT ended_at, abandoned FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise ValueError(f"journal: no session {session_id}")
            if (row[0] is not None or row[1]) and log.kind == "session_started":
                raise ValueError(f"journal: session {session_id} is over; start a new one for a new routine")
            write_log(conn, session_id, log, to_db(at))

    def mark_abandoned(self, session_id: int) -> None:
        """The user declined to resume: close the session as it stood at its last record."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE sessions SET abandoned = 1, completed = 0, ended_at = last_activity_at"
                " WHERE id = ? AND ended_at IS NULL",  # a session that ended properly stays as it was
                (session_id,),
            )

    # ---- reading ---------------------------------------------------------
    def unfinished_session(self) -> UnfinishedSession | None:
        return find_unfinished(self._conn)

    def sessions(self, client: str | None = None, since: date | None = None) -> list[queries.SessionSummary]:
        return queries.list_sessions(self._conn, client, since)

    def clients(self) -> list[str]:
        return queries.client_codes(self._conn)

    def has_anonymous_sessions(self) -> bool:
        return queries.has_anonymous_sessions(self._conn)

    def pain_by_day(self, client: str | None, since: date | None = None) -> list[queries.PainDay]:
        """Pain per local day for one client (``None``: sessions without a client code)."""
        rows = [s for s in self.sessions(client, since) if s.client == client]
        return queries.pain_by_day(rows)

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file: "ok" when it is intact."""
        return "; ".join(r[0] for r in self._conn.execute("PRAGMA integrity_check"))

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of a SELECT, for tests and diagnostics."""
        return self._conn.execute(sql, params).fetchall()
