"""The clinic journal: sessions, steps, commands and pain scores in a private SQLite file.

The live runner writes it (``SessionRecorder`` or ``Journal.record``); the
``history`` and ``export`` commands read it.  No audio is ever stored.
"""

from voice_coach.journal.files import default_journal_path, journal_path
from voice_coach.journal.queries import PainDay, SessionSummary
from voice_coach.journal.recorder import SessionRecorder
from voice_coach.journal.resume import ResumePosition, UnfinishedSession
from voice_coach.journal.store import Journal

__all__ = [
    "Journal",
    "PainDay",
    "ResumePosition",
    "SessionRecorder",
    "SessionSummary",
    "UnfinishedSession",
    "default_journal_path",
    "journal_path",
]
