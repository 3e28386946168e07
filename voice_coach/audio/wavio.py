"""WAV files in and out: 16-bit PCM at any common rate, mono or multi-channel.

Everything the recognizers see is 16 kHz mono int16, so ``read_wav`` downmixes
and resamples.  The RIFF chunks are parsed here rather than with the ``wave``
module so that every unsupported file gets an ``AudioError`` saying exactly
what is wrong with it (float, 24-bit, compressed, not a WAV at all…).

Resampling reuses the microphone's polyphase resampler
(``voice_coach.audio.resampler.StreamResampler``: Kaiser-windowed sinc, exact
rational ratios) so files and live audio go through the same filter and no
extra dependency (scipy, soxr) is needed.  The causal filter's delay (~1 ms)
is removed, so a sound keeps its time position to within one output sample.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_coach.audio.resampler import StreamResampler
from voice_coach.errors import AudioError

TARGET_RATE_HZ = 16000
MIN_RATE_HZ = 8000
MAX_RATE_HZ = 192000

_FORMAT_PCM = 0x0001
_FORMAT_EXTENSIBLE = 0xFFFE
_FORMAT_NAMES = {0x0003: "32-bit float", 0x0006: "A-law", 0x0007: "µ-law", 0x0002: "ADPCM",
                 0x0011: "IMA ADPCM", 0x0055: "MP3"}
# The GUID tail shared by every KSDATAFORMAT_SUBTYPE_*; the first two bytes are the format code.
_GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
_CONVERT_FIX = "convert it to 16-bit PCM WAV, e.g. `sox IN.wav -b 16 -e signed-integer OUT.wav`"


@dataclass(frozen=True)
class WavInfo:
    rate_hz: int
    channels: int
    bits: int
    frames: int


def read_wav(path: Path | str, rate_hz: int = TARGET_RATE_HZ) -> np.ndarray:
    """Mono int16 samples at ``rate_hz`` (16 kHz) from a 16-bit PCM WAV file.

    Multi-channel audio is averaged to mono.  Raises AudioError naming the file
    and the problem for anything unreadable or unsupported.
    """
    samples, info = read_wav_raw(path)
    mono = downmix(samples)
    return resample(mono, info.rate_hz, rate_hz)


# A recorder that streams to a file writes a placeholder size and fixes it at the end;
# a file left with the placeholder (the recorder was killed) holds what it holds.
_STREAMING_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF - 8})


def read_wav_raw(path: Path | str) -> tuple[np.ndarray, WavInfo]:
    """The file's int16 samples as (frames, channels), untouched, with its format."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioError(f"{path}: no such file", "check the path") from None
    except IsADirectoryError:
        raise AudioError(f"{path}: is a folder, not a WAV file", "name a .wav file") from None
    except OSError as exc:
        raise AudioError(f"{path}: cannot read ({exc.strerror or exc})", "check the file's permissions") from None
    return _parse(data, path)


def _parse(data: bytes, path: Path) -> tuple[np.ndarray, WavInfo]:
    def bad(what: str, fix: str = _CONVERT_FIX) -> AudioError:
        return AudioError(f"{path}: {what}", fix)

    if len(data) == 0:
        raise bad("empty file", "record or synthesize the audio again")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        kind = "RIFF container without WAVE data" if data[:4] == b"RIFF" else "not a WAV file (no RIFF/WAVE header)"
        raise bad(kind)
    fmt: bytes | None = None
    pcm: bytes | None = None
    promised = 0  # bytes of audio the data chunk's header claims
    pos = 12
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt ":
            fmt = body
        elif chunk_id == b"data" and pcm is None:
            if size in _STREAMING_SIZES:
                pcm = data[pos + 8 :]
                break
            pcm, promised = body, size
        pos += 8 + size + (size & 1)  # chunks are padded to even length
    if fmt is None:
        raise bad("no 'fmt ' chunk (damaged WAV header)")
    if len(fmt) < 16:
        raise bad("'fmt ' chunk too short (damaged WAV header)")
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", fmt)
    if tag == _FORMAT_EXTENSIBLE and len(fmt) >= 40:
        sub_tag, tail = struct.unpack_from("<H", fmt, 24)[0], fmt[26:40]
        if tail == _GUID_TAIL:
            tag = sub_tag
    if tag != _FORMAT_PCM:
        name = _FORMAT_NAMES.get(tag, f"format code {tag:#06x}")
        raise bad(f"{name} audio is not supported (only 16-bit PCM)")
    if bits != 16:
        raise bad(f"{bits}-bit PCM is not supported (only 16-bit)")
    if channels < 1:
        raise bad("header says 0 channels (damaged WAV header)")
    if not MIN_RATE_HZ <= rate <= MAX_RATE_HZ:
        raise bad(f"sample rate {rate} Hz is not supported ({MIN_RATE_HZ}–{MAX_RATE_HZ} Hz)",
                  "resample it, e.g. `sox IN.wav -r 16000 OUT.wav`")
    if block_align != 2 * channels:
        raise bad(f"block align {block_align} does not match {channels} channel(s) of 16 bits (damaged header)")
    if pcm is None:
        raise bad("no 'data' chunk (no audio in the file)", "record or synthesize the audio again")
    if promised > len(pcm) and promised not in _STREAMING_SIZES:
        missing = promised - len(pcm)
        held_s, promised_s = len(pcm) / (rate * block_align), promised / (rate * block_align)
        raise bad(f"cut short: the header promises {promised_s:.2f} s of audio but the file holds only "
                  f"{held_s:.2f} s ({missing} bytes, {missing / (rate * block_align):.2f} s missing)",
                  "copy or record the file again; to keep what is there, rewrite it with `sox IN.wav OUT.wav`")
    frames = len(pcm) // block_align
    if frames == 0:
        raise bad("contains no audio samples", "record or synthesize the audio again")
    samples = np.frombuffer(pcm[: frames * block_align], dtype="<i2").astype(np.int16).reshape(frames, channels)
    return samples, WavInfo(rate, channels, bits, frames)


def downmix(samples: np.ndarray) -> np.ndarray:
    """(frames, channels) or (frames,) int16 → mono int16, averaging the channels."""
    if samples.ndim == 1:
        return samples.astype(np.int16, copy=False)
    if samples.shape[1] == 1:
        return samples[:, 0].copy()
    return np.rint(samples.astype(np.float64).mean(axis=1)).astype(np.int16)


def resample(x: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Resample a whole mono int16 signal; the result has ``round(len * to/from)`` samples."""
    x = np.asarray(x).reshape(-1)
    if from_hz == to_hz or x.size == 0:
        return x.astype(np.int16, copy=True)
    out_len = round(x.size * to_hz / from_hz)
    resampler = StreamResampler(from_hz, to_hz)
    # Zeros after the end push the filter's last outputs out; dropping its delay
    # at the start keeps every sound at the same time as in the file.
    tail = np.zeros(max(64, from_hz // 100), np.int16)
    y = np.concatenate([resampler.process(x.astype(np.int16)), resampler.process(tail)])
    delay = _filter_delay(from_hz, to_hz)
    return y[delay : delay + out_len]


@functools.lru_cache(maxsize=16)
def _filter_delay(from_hz: int, to_hz: int) -> int:
    """The streaming filter's delay in output samples, measured with an impulse."""
    impulse = np.zeros(max(64, from_hz // 50), np.int16)
    impulse[0] = 32767
    return int(np.argmax(np.abs(StreamResampler(from_hz, to_hz).process(impulse).astype(np.int32))))


def write_wav(path: Path | str, samples: np.ndarray, rate_hz: int = TARGET_RATE_HZ) -> None:
    """Write int16 samples, shape (frames,) or (frames, channels), as 16-bit PCM WAV."""
    samples = np.asarray(samples)
    if samples.dtype != np.int16:
        raise ValueError(f"write_wav needs int16 samples, got {samples.dtype}")
    frames = samples.reshape(samples.shape[0], -1) if samples.ndim > 1 else samples.reshape(-1, 1)
    channels = frames.shape[1]
    pcm = frames.astype("<i2").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, _FORMAT_PCM, channels, rate_hz, rate_hz * 2 * channels,
                                    2 * channels, 16)
    header += b"data" + struct.pack("<I", len(pcm))
    Path(path).write_bytes(header + pcm + (b"\x00" if len(pcm) & 1 else b""))
