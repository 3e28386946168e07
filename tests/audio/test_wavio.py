"""WAV reading: any common rate, mono or stereo, to 16 kHz mono; clear errors for the rest."""

import struct
import wave

import numpy as np
import pytest

from voice_coach.audio.wavio import read_wav, read_wav_raw, resample, write_wav
from voice_coach.errors import AudioError


def tone(rate, seconds=0.5, hz=440.0, amplitude=10000):
    t = np.arange(int(rate * seconds)) / rate
    return np.rint(amplitude * np.sin(2 * np.pi * hz * t)).astype(np.int16)


def peak_hz(x, rate=16000):
    spectrum = np.abs(np.fft.rfft(x.astype(np.float64) * np.hanning(len(x))))
    return np.argmax(spectrum) * rate / len(x)


def write_with_stdlib(path, samples, rate, channels=1, width=2):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 22050, 32000, 44100, 48000])
def test_rates_are_resampled_to_16k(tmp_path, rate):
    path = tmp_path / f"tone{rate}.wav"
    write_with_stdlib(path, tone(rate, hz=700.0), rate)
    x = read_wav(path)
    assert x.dtype == np.int16 and x.ndim == 1
    assert abs(len(x) - 8000) <= 1
    assert abs(peak_hz(x) - 700.0) < 4
    # Level survives resampling (no gain error): RMS of a 10000 sine is ~7071.
    rms = np.sqrt(np.mean(x[400:-400].astype(float) ** 2))
    assert 6800 < rms < 7300


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resampling_keeps_sounds_in_place(rate):
    # A tone starting at exactly 0.1 s must start at sample 1600 after resampling.
    x = np.concatenate([np.zeros(rate // 10, np.int16), tone(rate, 0.2, hz=500.0)])
    y = resample(x, rate, 16000)
    onset = int(np.argmax(np.abs(y.astype(int)) > 1000))
    assert abs(onset - 1600) <= 3
    assert len(y) == round(len(x) * 16000 / rate)
    # and nothing is cut off at the end: the tone is still there in the last 5 ms
    assert np.abs(y[-80:].astype(int)).max() > 5000


def test_high_frequencies_are_filtered_not_aliased(tmp_path):
    # 7.5 kHz is below the new Nyquist (8 kHz) and kept; 12 kHz must vanish, not fold to 4 kHz.
    path = tmp_path / "hf.wav"
    write_with_stdlib(path, tone(48000, hz=12000.0), 48000)
    x = read_wav(path)
    assert np.sqrt(np.mean(x.astype(float) ** 2)) < 100


def test_stereo_is_downmixed(tmp_path):
    left, right = tone(44100, hz=300.0), np.zeros(22050, np.int16)
    path = tmp_path / "stereo.wav"
    write_with_stdlib(path, np.stack([left, right], axis=1), 44100, channels=2)
    raw, info = read_wav_raw(path)
    assert info.channels == 2 and info.rate_hz == 44100 and raw.shape == (22050, 2)
    x = read_wav(path)
    assert abs(peak_hz(x) - 300) < 4
    assert 3300 < np.sqrt(np.mean(x[400:-400].astype(float) ** 2)) < 3700  # half of 7071


def test_write_then_read_round_trip(tmp_path):
    x = tone(16000, seconds=0.3)
    write_wav(tmp_path / "a.wav", x)
    assert np.array_equal(read_wav(tmp_path / "a.wav"), x)
    with wave.open(str(tmp_path / "a.wav")) as w:  # the stdlib agrees with our header
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 16000, len(x))
    stereo = np.stack([x, x // 2], axis=1)
    write_wav(tmp_path / "b.wav", stereo, 22050)
    raw, info = read_wav_raw(tmp_path / "b.wav")
    assert info.rate_hz == 22050 and np.array_equal(raw, stereo)


def test_resample_identity_and_empty():
    x = tone(16000, 0.1)
    assert np.array_equal(resample(x, 16000, 16000), x)
    assert resample(np.zeros(0, np.int16), 44100, 16000).size == 0
    assert len(resample(x, 16000, 8000)) == 800


def _riff(*chunks):
    body = b"WAVE" + b"".join(cid + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
                               for cid, data in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _fmt(tag=1, channels=1, rate=16000, bits=16, extra=b""):
    align = channels * bits // 8
    return struct.pack("<HHIIHH", tag, channels, rate, rate * align, align, bits) + extra


def test_extensible_pcm_and_odd_chunks_are_read(tmp_path):
    guid = struct.pack("<H", 1) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
    ext = struct.pack("<HHI", 22, 16, 4) + guid
    pcm = tone(16000, 0.1).tobytes()
    path = tmp_path / "ext.wav"
    path.write_bytes(_riff((b"LIST", b"odd"), (b"fmt ", _fmt(tag=0xFFFE, extra=ext)), (b"data", pcm)))
    assert len(read_wav(path)) == 1600


def test_fmt_after_data_is_found(tmp_path):
    path = tmp_path / "late-fmt.wav"
    path.write_bytes(_riff((b"data", tone(8000, 0.1).tobytes()), (b"fmt ", _fmt(rate=8000))))
    assert len(read_wav(path)) == 1600


def test_a_file_cut_short_says_how_much_is_missing(tmp_path):
    good = _riff((b"fmt ", _fmt()), (b"data", tone(16000, 0.1).tobytes()))
    path = tmp_path / "cut.wav"
    path.write_bytes(good[:-1001])  # also cuts a sample in half
    with pytest.raises(AudioError) as err:
        read_wav(path)
    assert str(path) in err.value.message and "cut short" in err.value.message
    assert "1001 bytes" in err.value.message and "0.10 s of audio" in err.value.message
    assert "sox" in err.value.fix


@pytest.mark.parametrize("placeholder", [0, 0xFFFFFFFF])
def test_a_streamed_file_with_a_placeholder_size_keeps_what_is_there(tmp_path, placeholder):
    pcm = tone(16000, 0.1).tobytes()
    header = b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE"
    header += b"fmt " + struct.pack("<I", 16) + _fmt() + b"data" + struct.pack("<I", placeholder)
    path = tmp_path / "streamed.wav"
    path.write_bytes(header + pcm[:-2])
    assert len(read_wav(path)) == 1599


BAD_FILES = {
    "empty": (b"", "empty file"),
    "text": (b"hello, I am not audio at all", "not a WAV file"),
    "riff-not-wave": (b"RIFF\x04\x00\x00\x00AVI ", "without WAVE"),
    "float": (_riff((b"fmt ", _fmt(tag=3, bits=32)), (b"data", b"\0" * 64)), "32-bit float"),
    "adpcm": (_riff((b"fmt ", _fmt(tag=0x11, bits=4)), (b"data", b"\0" * 64)), "IMA ADPCM"),
    "mulaw": (_riff((b"fmt ", _fmt(tag=7, bits=8)), (b"data", b"\0" * 64)), "law"),
    "8bit": (_riff((b"fmt ", _fmt(bits=8)), (b"data", b"\0" * 64)), "8-bit PCM"),
    "24bit": (_riff((b"fmt ", _fmt(bits=24)), (b"data", b"\0" * 66)), "24-bit PCM"),
    "32bit": (_riff((b"fmt ", _fmt(bits=32)), (b"data", b"\0" * 64)), "32-bit PCM"),
    "no-fmt": (_riff((b"data", b"\0" * 64)), "no 'fmt ' chunk"),
    "no-data": (_riff((b"fmt ", _fmt())), "no 'data' chunk"),
    "no-samples": (_riff((b"fmt ", _fmt()), (b"data", b"")), "no audio samples"),
    "rate-4k": (_riff((b"fmt ", _fmt(rate=4000)), (b"data", b"\0" * 64)), "4000 Hz"),
    "zero-channels": (_riff((b"fmt ", _fmt(channels=0)), (b"data", b"\0" * 64)), "0 channels"),
    "short-fmt": (_riff((b"fmt ", b"\1\0\1\0"), (b"data", b"\0" * 64)), "too short"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_name_the_file_and_the_problem(tmp_path, name):
    content, problem = BAD_FILES[name]
    path = tmp_path / f"{name}.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as err:
        read_wav(path)
    assert str(path) in err.value.message and problem in err.value.message
    assert err.value.fix


def test_stdlib_8bit_wav_is_refused(tmp_path):
    path = tmp_path / "u8.wav"
    write_with_stdlib(path, np.full(800, 128, np.uint8), 8000, width=1)
    with pytest.raises(AudioError, match="8-bit"):
        read_wav(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        read_wav(tmp_path / "nope.wav")
    with pytest.raises(AudioError, match="folder"):
        read_wav(tmp_path)
