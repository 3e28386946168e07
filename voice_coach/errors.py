"""The one error base class of voice-coach.

Every error a user can cause (bad file, missing device, bad date…) is a
``VoiceCoachError``: the CLI prints ``error: <what>`` and ``  fix: <how>`` on
one or two lines and exits non-zero, never a traceback.
"""

from __future__ import annotations


class VoiceCoachError(Exception):
    """A problem the user can fix; ``fix`` says how."""

    exit_code = 2

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message


class RoutineError(VoiceCoachError):
    """A routine file is malformed (names file, routine, step and field)."""


class AudioError(VoiceCoachError):
    """A microphone, speaker or WAV file problem."""


class RecognizerError(VoiceCoachError):
    """A speech-recognition engine or model problem."""


class ConfigError(VoiceCoachError):
    """A bad configuration file or command-line value."""


class JournalError(VoiceCoachError):
    """The session journal cannot be read or written."""
