"""The small interfaces the loop drives; real audio classes and test fakes both fit them."""

from __future__ import annotations

from typing import Any, Protocol

from voice_coach.session.messages import Log


class SpeakerPort(Protocol):
    """Speaks one utterance at a time from a queue, in its own worker.

    It reports ``SpeechStarted`` / ``SpeechEnded`` to the loop (through the
    callback it was built with) — also for utterances cut off by ``stop()``.
    """

    def say(self, text: str, utterance_id: int) -> None: ...

    def stop(self) -> None:
        """Silence now and drop everything queued."""

    def adjust(self, rate_delta_wpm: int, volume_delta: float) -> None: ...

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is playing or queued (True) or ``timeout`` real seconds pass."""

    def close(self) -> None: ...


class ChimePort(Protocol):
    def play(self, kind: str) -> None: ...


class JournalPort(Protocol):
    def record(self, log: Log, at: float) -> None: ...

    def close(self) -> None: ...


class StatusPort(Protocol):
    """The therapist's glance: fed the engine's view plus what was heard and said."""

    def show(self, view: Any, now: float) -> None: ...

    def note(self, kind: str, text: str) -> None:
        """kind: "heard", "echo" (the coach's own voice), "said", "chime", "mic", "info"."""

    def close(self) -> None: ...


class NullJournal:
    def record(self, log: Log, at: float) -> None:
        pass

    def close(self) -> None:
        pass


class NullChimes:
    def play(self, kind: str) -> None:
        pass
