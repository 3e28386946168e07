"""The capture side of the microphone: which device and format, and opening a stream on it.

``SoundDeviceMicrophone`` talks to a ``CaptureBackend``; the real one is
``SoundDeviceBackend`` (PortAudio), tests use ``fake_mic.FlakyCaptureBackend``
whose device can be unplugged and re-plugged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from voice_coach.audio import devices
from voice_coach.audio.pulse_route import PulseRoute
from voice_coach.errors import AudioError

# 16 kHz first (no resampling), then the device's own rate, then common USB-microphone rates.
_FALLBACK_RATES = (16000, 48000, 44100, 32000, 22050)


@dataclass(frozen=True)
class CaptureFormat:
    """What to open: ``device`` as the backend understands it, at ``samplerate`` Hz."""

    device: object
    name: str
    samplerate: int
    channels: int


class InputStreamLike(Protocol):
    active: bool

    def start(self) -> None: ...

    def abort(self) -> None: ...

    def close(self) -> None: ...


Callback = Callable[[np.ndarray], None]


class CaptureBackend(Protocol):
    def resolve(self, spec: str) -> CaptureFormat:
        """Find the device and a rate it supports; AudioError (listing devices) when absent."""

    def open(self, fmt: CaptureFormat, on_block: Callback, on_finished: Callable[[], None]) -> InputStreamLike:
        """Open and start a stream calling ``on_block(int16 frames×channels)`` from the audio thread."""

    def refresh(self) -> None:
        """Re-enumerate devices so a re-plugged one can be found."""

    # Optional: ``on_microphone() -> bool | None``, False when the sound server moved the open
    # stream off the microphone (onto a speaker's monitor); the microphone then counts as lost.


class SoundDeviceBackend:
    """Real capture through python-sounddevice / PortAudio."""

    def __init__(self, block_ms: int = 20, rates: tuple[int, ...] = ()) -> None:
        self.block_ms = block_ms
        self.rates = rates  # capture rates to try first (tests force 48 kHz through this)
        self.route = PulseRoute()

    def resolve(self, spec: str) -> CaptureFormat:
        dev = devices.require_device(spec, "input")
        sd = devices._sd()
        rates = dict.fromkeys([*self.rates, *_FALLBACK_RATES[:1], int(dev.default_samplerate), *_FALLBACK_RATES[1:]])
        for channels in dict.fromkeys([1, min(2, dev.max_input_channels)]):
            for rate in rates:
                try:
                    sd.check_input_settings(device=dev.index, channels=channels, samplerate=rate, dtype="int16")
                except Exception:
                    continue
                return CaptureFormat(dev.index, dev.name, rate, channels)
        raise AudioError(f'the microphone "{dev.name}" offers no usable 16-bit format',
                         "pick another one with --input-device NAME or audio.input_device")

    def open(self, fmt: CaptureFormat, on_block: Callback, on_finished: Callable[[], None]) -> InputStreamLike:
        sd = devices._sd()

        def callback(indata, frames, time_info, status):  # audio thread: copy and hand over only
            on_block(indata.copy())

        stream = sd.InputStream(device=fmt.device, samplerate=fmt.samplerate, channels=fmt.channels, dtype="int16",
                                blocksize=int(fmt.samplerate * self.block_ms / 1000), latency="low",
                                callback=callback, finished_callback=on_finished)
        tracked = devices.TrackedStream(stream)  # counted as open until closed (see devices.refresh)
        try:
            tracked.start()
        except Exception:
            tracked.close()
            raise
        return tracked

    def refresh(self) -> None:
        devices.refresh()

    def on_microphone(self) -> bool | None:
        return self.route.on_microphone()
