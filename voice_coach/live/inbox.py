"""What the loop's worker threads post to it.

Workers (recognizer, speaker, keyboard, microphone watchdog) never touch the
session state; they put one of these on the loop's queue and the loop thread
turns them into engine events at the clock time it reads itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.intents import Command


@dataclass(frozen=True)
class HeardCommand:
    """A recognizer (or the keyboard) decided a command.

    heard_at: monotonic time (loop clock) at which the words ended — for audio
        that is the decision position mapped onto the clock; for typed text the
        moment Enter was pressed.
    loudness_ratio: how far the utterance stood above the coach's own echo on
        the microphone (utterance level / echo level); None when unknown (typed
        text, or the coach was silent so there was no echo to compare with).
    """

    command: Command
    heard_at: float
    text: str = ""
    confidence: float | None = None
    loudness_ratio: float | None = None
    typed: bool = False


@dataclass(frozen=True)
class SpeechStarted:
    utterance_id: int
    at: float


@dataclass(frozen=True)
class SpeechEnded:
    """The speaker finished or was cut off; ``at`` is when sound stopped."""

    utterance_id: int
    at: float


@dataclass(frozen=True)
class MicTrouble:
    """The microphone stream failed (``lost``) or came back (not ``lost``)."""

    lost: bool
    detail: str = ""


@dataclass(frozen=True)
class InputClosed:
    """The command source ended (stdin EOF, demo script done): end the session."""

    reason: str = ""


InboxItem = HeardCommand | SpeechStarted | SpeechEnded | MicTrouble | InputClosed
