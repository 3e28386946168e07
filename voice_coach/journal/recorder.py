"""Routing every ``Log`` the engine emits into journal sessions, in order.

The caller does not need to know when a journal session begins: the engine's
``session_started`` opens one, and a routine started after the previous one
ended opens the next.  ``resumed_session_id`` is the interrupted session whose
resume the engine offers: a ``session_started`` with ``resumed=True``
continues it; a plain one means the offer was declined, so it is marked
abandoned (not offered again) and a new session begins.  The engine logs
nothing outside a routine, so logs arriving while no session is open are
dropped rather than guessed into one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from voice_coach.journal.store import Journal

if TYPE_CHECKING:  # importing the engine package at run time would slow down history/export
    from voice_coach.session.messages import Log


class SessionRecorder:
    def __init__(self, journal: Journal, client: str | None = None, resumed_session_id: int | None = None) -> None:
        self.journal = journal
        self.client = client
        self.session_id: int | None = None
        self._resume_id = resumed_session_id

    def record(self, log: Log, at: datetime) -> None:
        if log.kind == "session_started":
            if self._resume_id is not None and log.data.get("resumed"):
                self.session_id = self._resume_id
            else:
                if self._resume_id is not None:  # offered, but a fresh routine started: the offer was declined
                    self.journal.mark_abandoned(self._resume_id)
                self.session_id = self.journal.start_session(str(log.data.get("routine", "")), self.client, at)
            self._resume_id = None
        elif self.session_id is None:
            return
        self.journal.record(self.session_id, log, at)
        if log.kind == "session_ended":
            self.session_id = None
