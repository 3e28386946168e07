"""A speaker that records what it was asked to say (for tests, ``--text`` and benchmarks).

``RecordingSpeaker(timed=False)`` finishes every utterance at once (inside
``say``); ``timed=True`` finishes it after the time espeak would take at the
current rate (words × 60 / wpm, times ``time_scale``) on a timer thread, so
barge-in and "speaking while the timer runs" can be exercised without audio.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from voice_coach.audio.speaker import FinishedCallback, SpeakerBase, StartedCallback
from voice_coach.config import SpeechSettings


@dataclass(frozen=True)
class SaidRecord:
    utterance_id: int
    text: str
    rate_wpm: int
    volume: float
    at: float  # monotonic time of say()


class RecordingSpeaker(SpeakerBase):
    def __init__(self, settings: SpeechSettings | None = None, *, timed: bool = False, time_scale: float = 1.0,
                 on_started: StartedCallback | None = None, on_finished: FinishedCallback | None = None) -> None:
        super().__init__(settings, on_started, on_finished)
        self.timed = timed
        self.time_scale = time_scale
        self.said: list[SaidRecord] = []
        self.finished: list[tuple[int, bool]] = []  # (utterance_id, interrupted), in order
        self.stops = 0
        self._pending: list[tuple[float, int, str]] = []  # (due, uid, text), first is playing
        self._wake = threading.Condition()
        self._closed = False
        self._worker: threading.Thread | None = None

    def start(self) -> None:
        if self.timed:
            self._worker = threading.Thread(target=self._run, name="fake-speaker", daemon=True)
            self._worker.start()

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.said]

    @property
    def is_speaking(self) -> bool:
        with self._wake:
            return bool(self._pending)

    def duration_s(self, text: str) -> float:
        return len(text.split()) * 60.0 / self.settings.rate_wpm * self.time_scale

    def say(self, text: str, utterance_id: int) -> None:
        self.said.append(SaidRecord(utterance_id, text, self.settings.rate_wpm, self.settings.volume, time.monotonic()))
        if not self.timed:
            now = time.monotonic()
            self._begin(utterance_id, text, now)
            self._finish(utterance_id, now, False)
            return
        with self._wake:
            self._pending.append((0.0, utterance_id, text))
            self._wake.notify()

    def stop(self) -> None:
        self.stops += 1
        with self._wake:
            dropped, self._pending = self._pending, []
            self._wake.notify()
        now = time.monotonic()
        for _, uid, _text in dropped:
            self._finish(uid, now, True)

    def close(self) -> None:
        self.stop()
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._worker is not None:
            self._worker.join(timeout=2)

    def _begin(self, uid: int, text: str, now: float) -> None:
        self._span_started(uid, text, now)
        self.on_started(uid)

    def _finish(self, uid: int, now: float, interrupted: bool) -> None:
        self._span_ended(uid, now, interrupted)
        self.finished.append((uid, interrupted))
        self.on_finished(uid, interrupted)

    def _run(self) -> None:
        # Plays the head of _pending: gives it a due time when it starts, finishes it when due.
        while True:
            with self._wake:
                while not self._closed and not self._pending:
                    self._wake.wait()
                if self._closed:
                    return
                due, uid, text = self._pending[0]
                now = time.monotonic()
                if due == 0.0:
                    due = now + self.duration_s(text)
                    self._pending[0] = (due, uid, text)
                    started = True
                else:
                    started = False
                if not started and now < due:
                    self._wake.wait(due - now)
                    continue
                if now >= due:
                    self._pending.pop(0)
            if started:
                self._begin(uid, text, now)
            if now >= due:
                self._finish(uid, now, False)
