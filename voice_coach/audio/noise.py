"""Room noise made on the device: coloured noise and talk-like babble (float audio at 16 kHz).

Used to hear an enrollment take as it would sound in a noisy room (and, by the training code,
to augment the command model's data), so both draw the same kinds of noise.
"""

from __future__ import annotations

import numpy as np

RATE_HZ = 16000
FRAME = 160  # 10 ms


def colored_noise(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Noise with power ∝ 1/f^exponent (0 white, 1 pink, 2 brown), unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE_HZ)
    spectrum[1:] /= freqs[1:] ** (exponent / 2)
    spectrum[0] = 0
    x = np.fft.irfft(spectrum, n)
    return x / (np.sqrt(np.mean(x * x)) + 1e-12)


def reversed_talk(speech: np.ndarray, n: int, rng: np.random.Generator, talkers: int = 3) -> np.ndarray:
    """Babble with a voice's own timbre and no words in it: ``speech`` played backwards by
    ``talkers`` overlapping talkers at random offsets, unit RMS."""
    backwards = np.asarray(speech, np.float64).reshape(-1)[::-1]
    if backwards.size == 0:
        return colored_noise(n, rng, 1.0)
    mix = np.zeros(n)
    for _ in range(talkers):
        reps = int(np.ceil((n + backwards.size) / backwards.size)) + 1
        track = np.tile(backwards * rng.uniform(0.6, 1.0), reps)
        offset = int(rng.integers(0, backwards.size))
        mix += track[offset : offset + n]
    return mix / (np.sqrt(np.mean(mix * mix)) + 1e-12)


def active_rms(x: np.ndarray) -> float:
    """RMS of the 10 ms frames within 30 dB of the loudest (the speech, not the pauses)."""
    x = np.asarray(x, np.float64).reshape(-1)
    frames = x[: x.size - x.size % FRAME].reshape(-1, FRAME)
    if frames.size == 0:
        return 0.0
    power = np.mean(frames * frames, axis=1)
    return float(np.sqrt(np.mean(power[power >= power.max() * 1e-3])))
