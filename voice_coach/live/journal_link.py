"""Engine ``Log`` actions into the clinic journal, with wall-clock dates.

The loop runs on a monotonic clock; the journal wants dates people can read,
so the moment of writing is taken from the wall clock here.

Resume: when the run started with an unfinished session on offer, the first
``session_started`` tells which way the answer went — ``resumed=True`` means
"yes" (continue writing into the interrupted session), anything else means the
offer was declined (that session is closed as abandoned).

A journal that fails mid-session (disk full, card pulled) is logged once and
then skipped: the massage goes on.
"""

from __future__ import annotations

import logging
from datetime import datetime

from voice_coach.session.messages import Log

log = logging.getLogger(__name__)


class JournalLink:
    def __init__(self, journal, client: str | None = None, offered=None) -> None:
        """``offered``: the journal's ``UnfinishedSession`` whose resume the engine offers, if any."""
        self.journal = journal
        self.client = client
        self.offered = offered
        self.recorder = None
        self._held: list[tuple[Log, datetime]] = []
        self.failed = False

    def record(self, entry: Log, at: float) -> None:
        if self.failed:
            return
        try:
            self._record(entry, datetime.now().astimezone())
        except Exception as exc:
            self.failed = True
            log.error("the journal stopped working (%s); the session goes on without it", exc)

    def _record(self, entry: Log, wall: datetime) -> None:
        from voice_coach.journal.recorder import SessionRecorder

        if self.recorder is None:
            if entry.kind != "session_started":
                self._held.append((entry, wall))  # the recorder keeps pre-start commands itself
                return
            resumed_id = None
            if self.offered is not None:
                if entry.data.get("resumed"):
                    resumed_id = self.offered.session_id
                else:
                    self.journal.mark_abandoned(self.offered.session_id)
            self.recorder = SessionRecorder(self.journal, client=self.client, resumed_session_id=resumed_id)
            for held, held_at in self._held:
                self.recorder.record(held, held_at)
            self._held.clear()
        self.recorder.record(entry, wall)

    def close(self) -> None:
        self.journal.close()
