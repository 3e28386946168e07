"""Play one int16 clip at a time through sounddevice, stoppable from any thread within a block.

The speaker and the chimes each own a ``ClipPlayer``; ``play`` blocks the
calling worker thread until the clip has been heard (or its ``cancelled()``
turned true — checked every 20 ms block) and reports when its audio started and
ended on the monotonic clock.  A callable instead of a stop flag lets the
owner cancel an utterance before its playback even began, without a race.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from voice_coach.audio import devices
from voice_coach.audio.resampler import StreamResampler
from voice_coach.errors import AudioError

_BLOCK_S = 0.02  # a stop() is honoured at the next 20 ms block


@dataclass(frozen=True)
class Played:
    """started_at/ended_at: monotonic seconds around the clip's audio; interrupted: cut by stop()."""

    started_at: float
    ended_at: float
    interrupted: bool


def resolve_output(spec: str) -> int:
    """Output device index for ``spec``; AudioError listing the speakers when absent."""
    return devices.require_device(spec, "output").index


class ClipPlayer:
    """Plays clips on one output device; one ``play`` at a time per player."""

    def __init__(self, device: str = "") -> None:
        self.device_spec = device
        self._device: int | None = None
        self._device_generation = -1  # devices.generation when _device was looked up
        self._rates_ok: dict[int, int] = {}  # requested rate -> rate the device takes

    def open(self) -> None:
        """Resolve the device now, so a missing speaker is reported at start-up."""
        self._device_generation = devices.generation()
        self._device = resolve_output(self.device_spec)
        self._rates_ok.clear()

    def _device_rate(self, rate: int) -> int:
        if rate not in self._rates_ok:
            sd = devices._sd()
            try:
                sd.check_output_settings(device=self._device, samplerate=rate, channels=1, dtype="int16")
                self._rates_ok[rate] = rate
            except Exception:
                self._rates_ok[rate] = int(sd.query_devices(self._device)["default_samplerate"])
        return self._rates_ok[rate]

    def play(self, samples: np.ndarray, rate: int, cancelled: Callable[[], bool] = lambda: False) -> Played:
        """Play ``samples`` (int16 mono at ``rate`` Hz) and wait until heard or ``cancelled()``.

        AudioError when the speaker cannot be opened (after one fresh device look-up).
        """
        # Inside the guard PortAudio cannot be re-initialized (devices.refresh) under our feet.
        with devices.open_stream_guard():
            try:
                stream, clip_rate, done, started_at = self._open_stream(samples, rate, cancelled)
            except Exception:
                self.open()  # device indices change when PortAudio re-enumerates; look it up again
                try:
                    stream, clip_rate, done, started_at = self._open_stream(samples, rate, cancelled)
                except Exception as exc:
                    raise AudioError(f"cannot open the speaker ({exc})",
                                     "pick another with --output-device NAME, or use --text") from None
            with stream:
                begin = time.monotonic()
                stream.start()
                limit = clip_rate + 2.0
                # Poll cancelled() too: a stalled device must not keep stop() waiting for the clip.
                while not done.wait(_BLOCK_S):
                    if (cancelled() and not done.wait(0.1)) or time.monotonic() - begin > limit:
                        stream.abort()
                        break
        return Played(started_at[0] or begin, time.monotonic(), cancelled())

    def _open_stream(self, samples: np.ndarray, rate: int, cancelled: Callable[[], bool]):
        """(stream, clip seconds, finished event, [first-callback time]) — not yet started."""
        if self._device is None or self._device_generation != devices.generation():
            self.open()
        out_rate = self._device_rate(rate)
        clip = np.asarray(samples, dtype=np.int16).reshape(-1)
        if out_rate != rate:
            clip = StreamResampler(rate, out_rate).process(np.concatenate([clip, np.zeros(64, np.int16)]))
        sd = devices._sd()
        pos = 0
        done = threading.Event()
        started_at = [0.0]

        def callback(outdata, frames, time_info, status):  # audio thread
            nonlocal pos
            if not started_at[0]:
                started_at[0] = time.monotonic()
            if cancelled():
                outdata.fill(0)
                raise sd.CallbackAbort
            chunk = clip[pos:pos + frames]
            outdata[:len(chunk), 0] = chunk
            outdata[len(chunk):].fill(0)
            pos += frames
            if pos >= len(clip):
                raise sd.CallbackStop

        stream = sd.OutputStream(device=self._device, samplerate=out_rate, channels=1, dtype="int16",
                                 blocksize=int(out_rate * _BLOCK_S), callback=callback, finished_callback=done.set)
        return stream, len(clip) / out_rate, done, started_at
