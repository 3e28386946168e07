"""The microphone's streaming resampler: pitch kept, length right, chunking irrelevant."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from voice_coach.audio.resampler import StreamResampler

from .signals import dominant_hz


def tone(freq: float, rate: int, seconds: float, amp: float = 10000) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.int16)




@pytest.mark.parametrize("rate", [44100, 48000, 32000, 22050, 8000])
@pytest.mark.parametrize("freq", [300.0, 1000.0, 3400.0])
def test_frequency_and_length_preserved(rate, freq):
    out = StreamResampler(rate, 16000).process(tone(freq, rate, 1.0))
    assert len(out) == 16000
    assert dominant_hz(out[400:], 16000) == pytest.approx(freq, abs=2.0)
    if freq <= 0.4 * min(rate, 16000):  # well inside the pass band the level survives too
        assert np.abs(out[400:]).max() == pytest.approx(10000, rel=0.03)


@pytest.mark.parametrize("rate", [44100, 48000])
def test_content_above_8k_does_not_fold_back(rate):
    # 10 kHz cannot exist at 16 kHz; without the anti-alias filter it would reappear at 6 kHz.
    out = StreamResampler(rate, 16000).process(tone(10000, rate, 1.0))
    assert np.abs(out[400:]).max() < 100  # > 40 dB down


def test_passthrough_at_16k_is_exact():
    x = tone(440, 16000, 0.3)
    assert np.array_equal(StreamResampler(16000, 16000).process(x), x)


@settings(max_examples=25, deadline=None)
@given(rate=st.sampled_from([44100, 48000, 22050]),
       cuts=st.lists(st.integers(min_value=0, max_value=20000), max_size=12))
def test_any_chunking_gives_the_same_samples(rate, cuts):
    x = tone(523.0, rate, 0.5) // 2 + tone(2100.0, rate, 0.5) // 2
    whole = StreamResampler(rate, 16000).process(x)
    r = StreamResampler(rate, 16000)
    edges = sorted({0, len(x), *[c % len(x) for c in cuts]})
    parts = [r.process(x[a:b]) for a, b in zip(edges, edges[1:])]
    assert np.array_equal(np.concatenate(parts), whole)


def test_length_does_not_drift_over_many_small_blocks():
    r = StreamResampler(44100, 16000)
    total = sum(len(r.process(np.zeros(441, np.int16))) for _ in range(1000))  # 10 s in 10 ms blocks
    assert total == 160000


def test_bad_rates_are_rejected():
    with pytest.raises(ValueError):
        StreamResampler(0, 16000)
