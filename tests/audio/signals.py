"""Signal checks shared by the audio tests (spectra, alignment, loudness)."""

from __future__ import annotations

import numpy as np


def dominant_hz(x: np.ndarray, rate: int) -> float:
    x = np.asarray(x, dtype=float)
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


def best_alignment(reference: np.ndarray, recorded: np.ndarray) -> tuple[int, float]:
    """(lag, normalized correlation) of ``reference`` inside ``recorded``."""
    ref = np.asarray(reference, dtype=float)
    rec = np.asarray(recorded, dtype=float)
    n = 1 << int(np.ceil(np.log2(len(ref) + len(rec))))
    xc = np.fft.irfft(np.fft.rfft(rec, n) * np.conj(np.fft.rfft(ref, n)), n)[: len(rec) - len(ref) + 1]
    lag = int(np.argmax(xc))
    seg = rec[lag:lag + len(ref)]
    corr = float(np.dot(seg, ref) / (np.linalg.norm(seg) * np.linalg.norm(ref) + 1e-9))
    return lag, corr


def loud_frames(x: np.ndarray, rate: int, frame_s: float = 0.01, threshold: float = 300.0) -> np.ndarray:
    """Indices of ``frame_s`` frames whose mean absolute level exceeds ``threshold``."""
    n = int(rate * frame_s)
    frames = np.abs(np.asarray(x[: len(x) // n * n], dtype=float)).reshape(-1, n).mean(axis=1)
    return np.nonzero(frames > threshold)[0]


def envelope_match(reference: np.ndarray, recorded: np.ndarray, rate: int = 16000) -> float:
    """Correlation of 10 ms loudness envelopes at the best alignment.

    For audio that went through another resampler (PulseAudio's): the waveforms differ in
    phase near the band edge while the loudness contour stays the same.
    """
    lag, _ = best_alignment(reference, recorded)
    n = rate // 100
    seg = np.asarray(recorded[lag:lag + len(reference)], dtype=float)
    ref = np.asarray(reference[: len(seg)], dtype=float)
    k = len(seg) // n
    a = np.sqrt((ref[: k * n].reshape(k, n) ** 2).mean(axis=1))
    b = np.sqrt((seg[: k * n].reshape(k, n) ** 2).mean(axis=1))
    return float(np.corrcoef(a, b)[0, 1])
