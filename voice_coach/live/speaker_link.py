"""Connects an audio-edge speaker to the loop: callbacks become inbox items."""

from __future__ import annotations

import time
from typing import Callable

from voice_coach.live.inbox import InboxItem, SpeechEnded, SpeechStarted
from voice_coach.live.listener import PlayedAudio


class SpeakerLink:
    """Wraps a ``voice_coach.audio.speaker.Speaker`` as the loop's ``SpeakerPort``.

    Build the speaker with ``on_started=link.on_started, on_finished=link.on_finished``
    and then ``link.attach(speaker)``.  Times are read from the loop clock at the
    moment the speaker reports, so the gate and the loop share one time scale.
    """

    def __init__(self, post: Callable[[InboxItem], None], now: Callable[[], float]) -> None:
        self.post = post
        self.now = now
        self.speaker = None
        self._played: dict[int, PlayedAudio] = {}

    def attach(self, speaker) -> "SpeakerLink":
        self.speaker = speaker
        return self

    # ---- callbacks from the speaker worker -----------------------------------
    def on_started(self, utterance_id: int) -> None:
        self.post(SpeechStarted(utterance_id, self.now()))

    def on_finished(self, utterance_id: int, interrupted: bool = False) -> None:
        self.post(SpeechEnded(utterance_id, self.now()))

    def played(self) -> list[PlayedAudio]:
        """The coach's recent audio with when it played (the listener's echo reference).

        The speaker keeps the samples of its latest utterance (``last_audio``,
        monotonic start time — the run loop's clock); a cut-off utterance ends
        where it was cut.
        """
        audio = getattr(self.speaker, "last_audio", None)
        if audio is not None and audio.utterance_id not in self._played:
            self._played = {**dict(list(self._played.items())[-3:]),
                            audio.utterance_id: PlayedAudio(audio.start, audio.samples, audio.rate)}
        ends = {s.utterance_id: s.end for s in self.speaker.spans()} if hasattr(self.speaker, "spans") else {}
        return [PlayedAudio(p.start, p.samples, p.rate, ends.get(uid)) for uid, p in self._played.items()]

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
