"""Training-data augmentation: room noise of many kinds, reverberation, gain, cheap
microphones and speed changes, all from a seeded generator (float audio at 16 kHz)."""

from __future__ import annotations

import numpy as np

from voice_coach.audio.noise import colored_noise

RATE = 16000


def hum(n: int, rng: np.random.Generator) -> np.ndarray:
    """Fan / HVAC: mains harmonics plus low-passed broadband air noise, unit RMS."""
    t = np.arange(n) / RATE
    mains = rng.choice([50.0, 60.0])
    x = sum(rng.uniform(0.2, 1.0) / k * np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 6.3))
            for k in range(1, 6))
    air = colored_noise(n, rng, 1.6) * rng.uniform(0.5, 2.0)
    x = x + air
    return x / (np.sqrt(np.mean(x * x)) + 1e-12)


def music(n: int, rng: np.random.Generator) -> np.ndarray:
    """Music-like bed: random notes with harmonics and soft attacks, some chords, unit RMS."""
    x = np.zeros(n)
    position = 0
    while position < n:
        length = int(RATE * rng.uniform(0.15, 0.6))
        t = np.arange(length) / RATE
        note = np.zeros(length)
        for _ in range(int(rng.integers(1, 4))):
            f0 = 110.0 * 2 ** (rng.integers(0, 36) / 12)
            for k in range(1, 5):
                note += rng.uniform(0.1, 1.0) / k * np.sin(2 * np.pi * f0 * k * t)
        envelope = np.minimum(1.0, t / 0.02) * np.exp(-t * rng.uniform(1.0, 6.0))
        end = min(n, position + length)
        x[position:end] += (note * envelope)[: end - position]
        position += int(length * rng.uniform(0.6, 1.0))
    return x / (np.sqrt(np.mean(x * x)) + 1e-12)


def room_response(rng: np.random.Generator) -> np.ndarray:
    """A generated room impulse response: direct path plus exponentially decaying reflections."""
    rt60 = rng.uniform(0.2, 0.9)
    length = int(RATE * min(1.0, rt60 * 1.2))
    t = np.arange(length) / RATE
    tail = rng.standard_normal(length) * np.exp(-6.9 * t / rt60)
    tail[: int(RATE * rng.uniform(0.002, 0.01))] = 0.0  # first reflections arrive a little later
    ir = tail * rng.uniform(0.2, 0.6)
    ir[0] = 1.0
    return ir / np.sqrt(np.sum(ir * ir))


def reverberate(x: np.ndarray, ir: np.ndarray) -> np.ndarray:
    n = x.size + ir.size - 1
    size = 1 << (n - 1).bit_length()
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(ir, size), size)[: x.size]
    return y


def band_limit(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A cheap microphone: weak lows and highs (soft spectral mask)."""
    spectrum = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(x.size, 1 / RATE)
    low, high = rng.uniform(150, 450), rng.uniform(3200, 7000)
    mask = 1.0 / (1.0 + (low / np.maximum(freqs, 1.0)) ** 4) / (1.0 + (freqs / high) ** 6)
    return np.fft.irfft(spectrum * mask, x.size)


def change_speed(x: np.ndarray, factor: float) -> np.ndarray:
    """Play ``factor`` times faster (tempo and pitch together), by interpolation."""
    n = max(1, int(round(x.size / factor)))
    return np.interp(np.arange(n) * factor, np.arange(x.size), x)
