"""The coach's voice: a worker thread that synthesizes and plays queued utterances.

Use::

    spk = SoundDeviceSpeaker(settings.speech, device=settings.audio.output_device,
                             on_started=..., on_finished=...)   # callbacks: see Speaker
    spk.start()                  # AudioError if there is no speaker or no speech engine
    spk.say("Roll the ball under your heel.", utterance_id=7)
    spk.stop()                   # silence within ~50 ms, drop the queue (barge-in)
    spk.adjust(rate_delta_wpm=-20)
    spk.close()

Each utterance is synthesized to memory (``tts.synthesize``) and played with a
``ClipPlayer`` — pyttsx3's own ``say()`` cannot be interrupted.  Callbacks run
on the worker thread (or on the thread calling ``stop`` for utterances that were
dropped from the queue); keep them short and thread-safe.  Every ``say`` gets
exactly one ``on_finished``.  If speaking fails mid-session (speaker gone,
voice missing) the utterance finishes interrupted, ``on_error(message)`` is
called and ``last_error`` keeps the message; the worker carries on.

For self-trigger gating the runner can ask ``is_speaking`` (an utterance is
queued or playing), ``spans()`` (when our audio actually played, monotonic
seconds) and ``last_audio`` (the samples of the most recent utterance).
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from voice_coach.audio import tts
from voice_coach.audio.player import ClipPlayer
from voice_coach.config import SpeechSettings

StartedCallback = Callable[[int], None]
FinishedCallback = Callable[[int, bool], None]  # (utterance_id, interrupted)
_KEEP_SPANS = 50


@dataclass(frozen=True)
class SpeechSpan:
    """When utterance ``utterance_id`` was audible: monotonic seconds; ``end`` None while playing."""

    utterance_id: int
    text: str
    start: float
    end: float | None = None
    interrupted: bool = False


@dataclass(frozen=True)
class SpokenAudio:
    utterance_id: int
    samples: np.ndarray  # int16 mono
    rate: int
    start: float  # monotonic time its first sample played


class Speaker(Protocol):
    """What the live loop needs from any speaker (real or recording fake)."""

    settings: SpeechSettings

    def start(self) -> None: ...

    def say(self, text: str, utterance_id: int) -> None: ...

    def stop(self) -> None:
        """Silence now and drop everything queued; each affected utterance finishes interrupted."""

    def adjust(self, rate_delta_wpm: int = 0, volume_delta: float = 0.0) -> SpeechSettings: ...

    @property
    def is_speaking(self) -> bool: ...

    def spans(self) -> list[SpeechSpan]: ...

    def close(self) -> None: ...


class SpeakerBase:
    """Bookkeeping shared by the real speaker and the fake: settings, callbacks, spans."""

    def __init__(self, settings: SpeechSettings | None, on_started: StartedCallback | None,
                 on_finished: FinishedCallback | None) -> None:
        self.settings = tts.clamp_settings(settings or SpeechSettings())
        self.on_started = on_started or (lambda uid: None)
        self.on_finished = on_finished or (lambda uid, interrupted: None)
        self._lock = threading.Lock()
        self._spans: list[SpeechSpan] = []

    def adjust(self, rate_delta_wpm: int = 0, volume_delta: float = 0.0) -> SpeechSettings:
        """Apply an AdjustSpeech delta (clamped); later utterances use the new settings."""
        with self._lock:
            self.settings = tts.clamp_settings(dataclasses.replace(
                self.settings, rate_wpm=self.settings.rate_wpm + rate_delta_wpm,
                volume=round(self.settings.volume + volume_delta, 3)))
            return self.settings

    def spans(self) -> list[SpeechSpan]:
        with self._lock:
            return list(self._spans)

    def _span_started(self, uid: int, text: str, at: float) -> None:
        with self._lock:
            self._spans = [*self._spans[-_KEEP_SPANS + 1:], SpeechSpan(uid, text, at)]

    def _span_ended(self, uid: int, at: float, interrupted: bool) -> None:
        with self._lock:
            self._spans = [dataclasses.replace(s, end=at, interrupted=interrupted)
                           if s.utterance_id == uid and s.end is None else s for s in self._spans]


class SoundDeviceSpeaker(SpeakerBase):
    """Real speech: espeak synthesis + sounddevice playback on ``device`` ("" = default)."""

    def __init__(self, settings: SpeechSettings | None = None, device: str = "", *,
                 on_started: StartedCallback | None = None, on_finished: FinishedCallback | None = None,
                 on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(settings, on_started, on_finished)
        self.on_error = on_error or (lambda message: None)  # speech broke mid-session (log it; it can't be said)
        self.last_error: str | None = None
        self.player = ClipPlayer(device)
        self.last_audio: SpokenAudio | None = None
        self._queue: queue.Queue[tuple[int, int, str] | None] = queue.Queue()
        self._generation = 0  # bumped by stop(); queued items of older generations are dropped
        self._busy = 0  # utterances queued or playing
        self._worker: threading.Thread | None = None

    def start(self) -> None:
        self.player.open()
        tts.synthesize("ready", self.settings)  # fail now, not mid-session, when nothing can speak
        self._worker = threading.Thread(target=self._run, name="speaker", daemon=True)
        self._worker.start()

    @property
    def is_speaking(self) -> bool:
        return self._busy > 0

    def say(self, text: str, utterance_id: int) -> None:
        with self._lock:
            self._busy += 1
            self._queue.put((self._generation, utterance_id, text))

    def stop(self) -> None:
        dropped = []
        with self._lock:
            self._generation += 1
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    dropped.append(item[1])
                    self._busy -= 1
        for uid in dropped:
            self.on_finished(uid, True)

    def close(self) -> None:
        self.stop()
        self._queue.put(None)
        if self._worker is not None:
            self._worker.join(timeout=5)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            generation, uid, text = item
            interrupted = True
            try:
                if generation == self._generation:
                    interrupted = self._speak(generation, uid, text)
            except Exception as exc:  # a synthesis/device failure must not kill the worker
                interrupted = True
                self.last_error = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                try:
                    self.on_error(self.last_error)
                except Exception:
                    pass
            finally:
                with self._lock:
                    self._busy -= 1
                self.on_finished(uid, interrupted)

    def _speak(self, generation: int, uid: int, text: str) -> bool:
        samples, rate = tts.synthesize(text, self.settings)
        with self._lock:
            if generation != self._generation:  # stop() arrived while synthesizing
                return True
        self.on_started(uid)
        start = time.monotonic()
        self._span_started(uid, text, start)
        self.last_audio = SpokenAudio(uid, samples, rate, start)
        played = None
        try:
            played = self.player.play(samples, rate, cancelled=lambda: generation != self._generation)
        finally:  # a failing speaker must not leave the span open (gates would think we still talk)
            self._span_ended(uid, played.ended_at if played else time.monotonic(), played is None or played.interrupted)
        return played.interrupted
