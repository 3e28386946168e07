"""The runner's one-call hook: hand over every ``Log`` the engine emits, in order.

The runner does not need to know when a journal session begins: the engine's
``session_started`` opens one (or, after a resume, continues the interrupted
one), and a routine started after the previous one ended opens the next.
Commands heard before any routine starts ("start heel routine" itself) are
held and written into the session they lead to.
"""

from __future__ import annotations

from datetime import datetime

from voice_coach.journal.store import Journal
from voice_coach.session.messages import Log

MAX_HELD_COMMANDS = 50  # bounds memory if someone chats for hours without starting a routine


class SessionRecorder:
    def __init__(self, journal: Journal, client: str | None = None, resumed_session_id: int | None = None) -> None:
        """``resumed_session_id``: the ``UnfinishedSession.session_id`` the user agreed to resume."""
        self.journal = journal
        self.client = client
        self.session_id: int | None = resumed_session_id
        self._open = resumed_session_id is not None
        self._held: list[tuple[Log, datetime]] = []

    def record(self, log: Log, at: datetime) -> None:
        if log.kind == "session_started":
            if not self._open:
                self.session_id = self.journal.start_session(str(log.data.get("routine", "")), self.client, at)
                self._open = True
            self.journal.record(self.session_id, log, at)
            for held, held_at in self._held:
                self.journal.record(self.session_id, held, held_at)
            self._held.clear()
            return
        if not self._open:
            if log.kind == "command" and len(self._held) < MAX_HELD_COMMANDS:
                self._held.append((log, at))
            return  # nothing else can belong to a session that has not started
        self.journal.record(self.session_id, log, at)
        if log.kind == "session_ended":
            self._open = False
