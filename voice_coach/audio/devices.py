"""Sound devices: listing, picking one by name or index, and "is there any sound at all".

Device specs come from ``AudioSettings.input_device`` / ``output_device`` or the
``--input-device`` / ``--output-device`` flags: "" means the system default, a
whole number means a PortAudio device index, anything else is a case-insensitive
name substring ("USB", "pulse").

PortAudio enumerates devices once when it initializes; ``refresh()`` re-runs the
enumeration so a re-plugged USB microphone shows up again.  Re-initializing
closes every open stream, so it only runs while no stream is open (streams
opened by this package register through ``open_stream_guard``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from typing import Iterator

from voice_coach.errors import AudioError


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device; channel counts are the maximums it offers."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False

    @property
    def is_input(self) -> bool:
        return self.max_input_channels > 0

    @property
    def is_output(self) -> bool:
        return self.max_output_channels > 0

    def label(self) -> str:
        marks = ("default in " if self.is_default_input else "") + ("default out" if self.is_default_output else "")
        return f"[{self.index}] {self.name} ({self.hostapi}, {int(self.default_samplerate)} Hz){'  ' + marks.strip() if marks else ''}"


def _sd():
    """Import sounddevice lazily: it fails to import when libportaudio2 is missing."""
    try:
        import sounddevice
    except OSError as exc:  # PortAudio library not found
        raise AudioError(f"the PortAudio library is missing ({exc})",
                         "install it: sudo apt-get install libportaudio2") from None
    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio currently knows (empty on a machine without sound)."""
    sd = _sd()
    try:
        raw = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except Exception:  # PortAudio not initialized / no host API: no devices
        return []
    out = []
    for d in raw:
        out.append(DeviceInfo(
            index=int(d["index"]), name=str(d["name"]), hostapi=str(apis[d["hostapi"]]["name"]),
            max_input_channels=int(d["max_input_channels"]), max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            is_default_input=d["index"] == default_in, is_default_output=d["index"] == default_out,
        ))
    return out


def input_devices() -> list[DeviceInfo]:
    return _of_kind("input", None)


def output_devices() -> list[DeviceInfo]:
    return _of_kind("output", None)


def has_any_device() -> bool:
    """False when there is no microphone and no speaker at all (the runner then suggests --text or demo)."""
    return bool(list_devices())


def _match(spec: str, candidates: list[DeviceInfo]) -> DeviceInfo | None:
    spec = spec.strip()
    if spec.lstrip("-").isdigit():
        return next((d for d in candidates if d.index == int(spec)), None)
    wanted = spec.lower()
    # An exact name beats a substring, so "pulse" does not pick "pulse monitor".
    exact = [d for d in candidates if d.name.lower() == wanted]
    if exact:
        return exact[0]
    return next((d for d in candidates if wanted in d.name.lower()), None)


def _of_kind(kind: str, available: list[DeviceInfo] | None) -> list[DeviceInfo]:
    available = list_devices() if available is None else available
    return [d for d in available if (d.is_input if kind == "input" else d.is_output)]


def find_device(spec: str, kind: str, available: list[DeviceInfo] | None = None) -> DeviceInfo | None:
    """The ``kind`` ("input"/"output") device for ``spec`` among ``available`` (default: all); None when absent.

    "" picks the system default, falling back to the first device of that kind.
    """
    candidates = _of_kind(kind, available)
    if not candidates:
        return None
    if spec.strip():
        return _match(spec, candidates)
    default = [d for d in candidates if (d.is_default_input if kind == "input" else d.is_default_output)]
    return (default or candidates)[0]


def describe(kind: str, available: list[DeviceInfo] | None = None) -> str:
    """The ``kind`` devices as a one-line-each list for error messages and ``check``."""
    devices = _of_kind(kind, available)
    if not devices:
        return f"(no {kind} devices found)"
    return "\n".join("    " + d.label() for d in devices)


def require_device(spec: str, kind: str, available: list[DeviceInfo] | None = None) -> DeviceInfo:
    """Like ``find_device`` but raises one clear AudioError naming the choices."""
    available = list_devices() if available is None else available
    found = find_device(spec, kind, available)
    if found is not None:
        return found
    what = "microphone" if kind == "input" else "speaker"
    flag, key = ("--input-device", "audio.input_device") if kind == "input" else ("--output-device", "audio.output_device")
    asked = f'"{spec}"' if spec.strip() else "the default device"
    raise AudioError(
        f"no {what} found for {asked}; {kind} devices are:\n{describe(kind, available)}",
        f"pick one with {flag} NAME-OR-INDEX or set {key} in the config file"
        + ("; there is no sound device at all — try --text or demo" if not available else ""),
    )


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Silence ALSA/PortAudio's C-level chatter (written straight to fd 2) for a moment.

    Used around the microphone's once-a-second reopen attempts, which would
    otherwise print several lines per attempt over the live display.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# ---- re-enumeration guard ------------------------------------------------------
_guard = threading.Lock()
_open_streams = 0
_generation = 0  # bumped by every successful refresh: cached device indices are stale then


def generation() -> int:
    return _generation


def _count(delta: int) -> None:
    global _open_streams
    with _guard:
        _open_streams += delta


@contextlib.contextmanager
def open_stream_guard() -> Iterator[None]:
    """Hold while a PortAudio stream of ours is open, so ``refresh`` cannot close it underneath."""
    _count(+1)
    try:
        yield
    finally:
        _count(-1)


class TrackedStream:
    """A sounddevice stream counted as open (for ``refresh``) until ``close``."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._closed = False
        _count(+1)

    @property
    def active(self) -> bool:
        return bool(self._stream.active)

    def start(self) -> None:
        self._stream.start()

    def abort(self) -> None:
        self._stream.abort()

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self.forget()

    def forget(self) -> None:
        """Stop counting this stream as open (also for a handle abandoned because closing hung)."""
        if not self._closed:
            self._closed = True
            _count(-1)


def refresh() -> bool:
    """Re-enumerate devices (picks up a re-plugged microphone); False when streams were open."""
    global _generation
    sd = _sd()
    with _guard:
        if _open_streams:
            return False
        _generation += 1
        try:
            sd._terminate()
        except Exception:
            pass
        try:
            sd._initialize()
        except Exception:
            return False
    return True
