"""Microphones without hardware, for tests and the demo.

- ``ArrayMicrophone``: a ``MicrophoneStream`` fed from arrays (``feed``), in
  real time (``realtime=True``: blocks come at the pace of audio, silence when
  nothing was fed — like a quiet room) or as fast as read (then ``read``
  returns None once everything fed was consumed).
- ``wav_microphone(path)``: an ``ArrayMicrophone`` holding a WAV file at 16 kHz.
- ``FlakyCaptureBackend``: a ``CaptureBackend`` for ``SoundDeviceMicrophone``
  whose device can be "unplugged" and "re-plugged" by the test, to exercise
  loss and recovery through the real supervision code.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

from voice_coach.audio.capture import CaptureFormat
from voice_coach.audio.microphone import SAMPLE_RATE_HZ
from voice_coach.errors import AudioError


class ArrayMicrophone:
    sample_rate = SAMPLE_RATE_HZ

    def __init__(self, samples: np.ndarray | None = None, *, realtime: bool = False, speed: float = 1.0,
                 block_ms: int = 20) -> None:
        self.realtime = realtime
        self.speed = speed
        self.block = int(SAMPLE_RATE_HZ * block_ms / 1000)
        self._pending = np.zeros(0, dtype=np.int16)
        self._lock = threading.Lock()
        self._started_at: float | None = None
        self.delivered = 0  # samples handed out so far (audio clock of this microphone)
        if samples is not None:
            self.feed(samples)

    def feed(self, samples: np.ndarray) -> None:
        """Append 16 kHz mono int16 audio; it is heard after everything fed before it."""
        with self._lock:
            self._pending = np.concatenate([self._pending, np.asarray(samples, dtype=np.int16).reshape(-1)])

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def start(self) -> None:
        self._started_at = time.monotonic()

    def stop(self) -> None:
        self._started_at = None

    def read(self, timeout: float | None = None) -> np.ndarray | None:
        if self._started_at is None:
            return None
        if self.realtime:
            # The next block is due when the audio clock reaches its end.
            due = self._started_at + (self.delivered + self.block) / (SAMPLE_RATE_HZ * self.speed)
            wait = due - time.monotonic()
            if timeout is not None and wait > timeout:
                time.sleep(max(0.0, timeout))
                return None
            if wait > 0:
                time.sleep(wait)
        with self._lock:
            take, self._pending = self._pending[:self.block], self._pending[self.block:]
        if not self.realtime and not len(take):
            return None
        if len(take) < self.block and self.realtime:
            take = np.concatenate([take, np.zeros(self.block - len(take), dtype=np.int16)])
        self.delivered += len(take)
        return take


def wav_microphone(path: str | Path, *, realtime: bool = False, speed: float = 1.0) -> ArrayMicrophone:
    """A microphone that 'hears' the WAV file (any rate, mono or stereo 16-bit)."""
    from voice_coach.audio.wavio import read_wav  # AudioError naming the file when unreadable

    return ArrayMicrophone(read_wav(path, SAMPLE_RATE_HZ), realtime=realtime, speed=speed)


class _FakeStream:
    def __init__(self, backend: "FlakyCaptureBackend", fmt: CaptureFormat,
                 on_block: Callable[[np.ndarray], None], on_finished: Callable[[], None]) -> None:
        self.backend, self.fmt, self.on_block, self.on_finished = backend, fmt, on_block, on_finished
        self.active = False
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-mic-stream", daemon=True)

    def start(self) -> None:
        self.active = True
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def abort(self) -> None:
        self._halt.set()

    def close(self) -> None:
        self._halt.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=1)
        self.active = False

    def _run(self) -> None:
        frames = int(self.fmt.samplerate * self.backend.block_ms / 1000)
        while not self._halt.wait(self.backend.block_ms / 1000):
            if self.backend.silent_stall:
                continue  # a driver that stops calling back without an error; still "active"
            if not self.backend.plugged:
                self.active = False  # like PortAudio after a device error: the stream just ends
                if self.backend.report_finished:
                    self.on_finished()
                return
            self.on_block(self.backend.next_block(frames, self.fmt.channels))


class FlakyCaptureBackend:
    """A fake capture device producing a sine at ``rate`` Hz; ``unplug()`` / ``replug()`` switch it."""

    def __init__(self, rate: int = 48000, channels: int = 1, block_ms: int = 20, name: str = "Fake USB Mic",
                 report_finished: bool = True) -> None:
        self.rate, self.channels, self.block_ms, self.name = rate, channels, block_ms, name
        self.plugged = True
        self.silent_stall = False
        self.on_monitor = False  # like a sound server that moved the stream to a speaker's monitor
        self.report_finished = report_finished
        self.opens = 0  # successful opens
        self.failed_opens = 0
        self.refreshes = 0
        self._phase = 0
        self._streams: list[_FakeStream] = []

    def unplug(self) -> None:
        self.plugged = False

    def replug(self) -> None:
        self.plugged = True
        self.silent_stall = False

    @property
    def frames_sent(self) -> int:
        """Device frames handed to stream callbacks so far, over all streams."""
        return self._phase

    @property
    def streaming(self) -> bool:
        """Whether a stream opened on this device can still call back (its thread runs)."""
        return any(stream.running for stream in self._streams)

    def next_block(self, frames: int, channels: int) -> np.ndarray:
        t = (self._phase + np.arange(frames)) / self.rate
        self._phase += frames
        mono = (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
        return np.repeat(mono[:, None], channels, axis=1)

    def resolve(self, spec: str) -> CaptureFormat:
        if not self.plugged:
            raise AudioError(f'no microphone found for "{spec or "default"}"', "plug it back in")
        return CaptureFormat(device=0, name=self.name, samplerate=self.rate, channels=self.channels)

    def open(self, fmt: CaptureFormat, on_block, on_finished) -> _FakeStream:
        if not self.plugged:
            self.failed_opens += 1
            raise OSError("device unavailable")
        stream = _FakeStream(self, fmt, on_block, on_finished)
        self._streams = [s for s in self._streams if s.running] + [stream]  # forget finished ones
        stream.start()
        self.opens += 1
        return stream

    def refresh(self) -> None:
        self.refreshes += 1

    def on_microphone(self) -> bool | None:
        return not self.on_monitor
