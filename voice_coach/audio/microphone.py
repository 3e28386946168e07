"""The microphone: 16 kHz mono int16 blocks, surviving a knocked-out USB plug.

Use::

    mic = SoundDeviceMicrophone(settings.audio.input_device, on_status=events.put)
    mic.start()                      # AudioError (lists input devices) if the device is missing
    while running:
        block = mic.read(timeout=0.1)   # np.int16 1-D at 16 kHz, or None (nothing yet / device lost)
    mic.stop()

``on_status`` receives ``MicStatus`` records from a supervisor thread (so keep
the callback short and thread-safe, e.g. ``queue.put``):

- "lost": the stream failed mid-session (unplugged, driver error, silent
  for ``watchdog_s``, or moved by the sound server from the microphone to a
  speaker's monitor — see ``pulse_route``); ``read`` keeps returning None,
  nothing is raised.
- "recovered": the device is back and blocks flow again.

After "lost" it retries opening every ``retry_s`` seconds until ``stop()``.

The PortAudio callback only copies the block into a bounded queue (a full
queue drops the block and counts it in ``overflows``); down-mixing and
resampling to 16 kHz happen in ``read`` on the caller's thread.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from voice_coach.audio import devices
from voice_coach.audio.capture import CaptureBackend, CaptureFormat, InputStreamLike, SoundDeviceBackend
from voice_coach.audio.resampler import StreamResampler
from voice_coach.errors import AudioError

SAMPLE_RATE_HZ = 16000
# SoundDeviceBackend and CaptureFormat are re-exported: callers pick a backend here.
__all__ = ["MicStatus", "MicrophoneStream", "SoundDeviceMicrophone", "SoundDeviceBackend", "CaptureFormat",
           "SAMPLE_RATE_HZ"]


@dataclass(frozen=True)
class MicStatus:
    """kind: "lost" or "recovered"; message: one human sentence; at: monotonic seconds."""

    kind: str
    message: str
    device: str
    at: float


class MicrophoneStream(Protocol):
    """What the live loop needs from any microphone (real, WAV-fed or fake)."""

    sample_rate: int  # always 16000

    def start(self) -> None: ...

    def read(self, timeout: float | None = None) -> np.ndarray | None:
        """Next int16 mono 16 kHz block, or None if none arrived within ``timeout`` seconds."""

    def stop(self) -> None: ...


class SoundDeviceMicrophone:
    """A supervised microphone stream (see the module docstring)."""

    sample_rate = SAMPLE_RATE_HZ

    def __init__(self, device: str = "", *, on_status: Callable[[MicStatus], None] | None = None,
                 backend: CaptureBackend | None = None, queue_blocks: int = 250,
                 retry_s: float = 1.0, watchdog_s: float = 2.0) -> None:
        self.device_spec = device
        self.on_status = on_status or (lambda status: None)
        self.backend = backend or SoundDeviceBackend()
        self.retry_s = retry_s
        self.watchdog_s = watchdog_s
        self.route_check_s = 1.0  # how often the sound server is asked where our stream is
        self._route_checked_at = 0.0
        self._watch_route = True
        self.close_timeout_s = 1.0
        self.overflows = 0  # blocks dropped because nobody read them in time
        self._queue: queue.Queue[tuple[int, np.ndarray]] = queue.Queue(maxsize=queue_blocks)
        self._resampler: StreamResampler | None = None
        self._stream: InputStreamLike | None = None
        self._fmt: CaptureFormat | None = None
        self._stream_failed = threading.Event()
        self._last_block_at = 0.0
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        self.connected = False

    # -- lifecycle
    def start(self) -> None:
        self._fmt = self.backend.resolve(self.device_spec)  # AudioError goes to the user as-is
        try:
            self._open(self._fmt)
        except AudioError:
            raise
        except Exception as exc:
            raise AudioError(f'cannot open the microphone "{self._fmt.name}" ({exc})',
                             "check that no other program holds it, or pick another with --input-device") from None
        # Opened on a monitor on purpose (a test set-up, a loopback): then that is the microphone.
        self._watch_route = self._routed() is not False
        self._stopping.clear()
        self._supervisor = threading.Thread(target=self._supervise, name="mic-supervisor", daemon=True)
        self._supervisor.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=3)
            self._supervisor = None
        self._close()

    # -- data
    def read(self, timeout: float | None = None) -> np.ndarray | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                rate, block = self._queue.get(timeout=remaining)
            except queue.Empty:
                return None
            out = self._to_16k(rate, block)
            if len(out):
                return out
            if deadline is not None and time.monotonic() >= deadline:
                return None

    def _to_16k(self, rate: int, block: np.ndarray) -> np.ndarray:
        mono = block if block.ndim == 1 else (block[:, 0] if block.shape[1] == 1 else block.mean(axis=1))
        if self._resampler is None or self._resampler.from_hz != rate:
            self._resampler = StreamResampler(rate, SAMPLE_RATE_HZ)
        return self._resampler.process(mono)

    def _on_block(self, block: np.ndarray) -> None:
        # Runs on the audio thread: no allocation beyond the copy, no locks, no logging.
        self._last_block_at = time.monotonic()
        try:
            self._queue.put_nowait((self._fmt.samplerate, block))
        except queue.Full:
            self.overflows += 1

    # -- supervision
    def _open(self, fmt: CaptureFormat) -> None:
        self._stream_failed.clear()
        self._last_block_at = time.monotonic()
        self._stream = self.backend.open(fmt, self._on_block, self._stream_failed.set)
        self.connected = True

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        self.connected = False
        if stream is None:
            return

        def close_quietly() -> None:
            for step in (stream.abort, stream.close):
                try:
                    step()
                except Exception:
                    pass  # a vanished device may fail to close; the handle is dropped either way

        # ALSA can block for good when closing an unplugged device: never let that stop the retries.
        closer = threading.Thread(target=close_quietly, name="mic-close", daemon=True)
        closer.start()
        closer.join(self.close_timeout_s)
        if closer.is_alive() and hasattr(stream, "forget"):
            stream.forget()  # let devices.refresh() run although this handle never closed

    def _drop_queued(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _emit(self, kind: str, message: str) -> None:
        name = self._fmt.name if self._fmt else self.device_spec
        try:
            self.on_status(MicStatus(kind, message, name, time.monotonic()))
        except Exception:
            pass  # a broken listener must not kill the supervisor

    def _healthy(self) -> bool:
        stream = self._stream
        if stream is None or self._stream_failed.is_set():
            return False
        try:
            if not stream.active:
                return False
        except Exception:
            return False
        now = time.monotonic()
        if now - self._last_block_at >= self.watchdog_s:
            return False
        if now - self._route_checked_at >= self.route_check_s:
            self._route_checked_at = now
            return self._routed() is not False
        return True

    def _routed(self) -> bool | None:
        """The backend's word on whether the stream is still on a microphone (None: cannot tell)."""
        check = getattr(self.backend, "on_microphone", None)
        if check is None or not self._watch_route:
            return None
        try:
            return check()
        except Exception:
            return None

    def _supervise(self) -> None:
        while not self._stopping.wait(0.1):
            if self._healthy():
                continue
            self._close()
            self._emit("lost", "The microphone stopped. I'll keep trying.")
            while not self._stopping.wait(self.retry_s):
                if self._try_reopen():
                    self._emit("recovered", "The microphone is back.")
                    break

    def _try_reopen(self) -> bool:
        with devices.quiet_stderr():
            return self._reopen()

    def _reopen(self) -> bool:
        # Re-enumerating is slow and only needed when the device list is stale.
        for refresh_first in (False, True):
            try:
                if refresh_first:
                    self.backend.refresh()
                self._fmt = self.backend.resolve(self.device_spec)
                self._open(self._fmt)
                if self._routed() is False:  # the server put the new stream on a monitor: still gone
                    self._close()
                    self._drop_queued()  # what it captured is the speaker, not the room
                    return False
                self._route_checked_at = time.monotonic()
                return True
            except Exception:
                self._close()
        return False
