"""Connects an audio-edge speaker to the loop: callbacks become inbox items."""

from __future__ import annotations

import time
from typing import Callable

from voice_coach.live.inbox import InboxItem, SpeechEnded, SpeechStarted
from voice_coach.live.listener import Span


class SpeakerLink:
    """Wraps a ``voice_coach.audio.speaker.Speaker`` as the loop's ``SpeakerPort``.

    Build the speaker with ``on_started=link.on_started, on_finished=link.on_finished``
    and then ``link.attach(speaker)``.  Times are read from the loop clock at the
    moment the speaker reports, so the gate's speech spans and the loop share
    one time scale.
    """

    def __init__(self, post: Callable[[InboxItem], None], now: Callable[[], float]) -> None:
        self.post = post
        self.now = now
        self.speaker = None
        self._spans: list[list[float | None]] = []

    def attach(self, speaker) -> "SpeakerLink":
        self.speaker = speaker
        return self

    # ---- callbacks from the speaker worker -----------------------------------
    def on_started(self, utterance_id: int) -> None:
        t = self.now()
        self._spans = [*self._spans[-19:], [t, None]]
        self.post(SpeechStarted(utterance_id, t))

    def on_finished(self, utterance_id: int, interrupted: bool = False) -> None:
        t = self.now()
        for span in reversed(self._spans):
            if span[1] is None:
                span[1] = t
                break
        self.post(SpeechEnded(utterance_id, t))

    def spans(self) -> list[Span]:
        """When the coach was audible, loop-clock seconds (for the listener's echo level)."""
        return [(s, e) for s, e in list(self._spans)]

    # ---- SpeakerPort -------------------------------------------------------------
    def say(self, text: str, utterance_id: int) -> None:
        self.speaker.say(text, utterance_id)

    def stop(self) -> None:
        self.speaker.stop()

    def adjust(self, rate_delta_wpm: int, volume_delta: float) -> None:
        self.speaker.adjust(rate_delta_wpm=rate_delta_wpm, volume_delta=volume_delta)

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.speaker.is_speaking:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        self.speaker.close()
