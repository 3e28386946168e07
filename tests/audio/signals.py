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


def without_silence(x: np.ndarray, quiet: int = 2, min_run: int = 16) -> np.ndarray:
    """``x`` without its silent stretches (``min_run`` or more samples within ±``quiet``).

    On a loaded machine playback underruns insert silence into what the sink records but lose no
    sound, so comparing what is left holds with or without such gaps.
    """
    x = np.asarray(x).reshape(-1)
    edges = np.diff(np.concatenate([[0], (np.abs(x) <= quiet).astype(np.int8), [0]]))
    keep = np.ones(len(x), dtype=bool)
    for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
        if b - a >= min_run:
            keep[a:b] = False
    return x[keep]


def audible_match(reference: np.ndarray, recorded: np.ndarray, rate: int = 16000, slack: float = 0.15,
                  cut_tail: float = 0.2) -> float:
    """Correlation of the 10 ms loudness contours of the sound left after ``without_silence``.

    Best over a shift of up to three frames; 0 unless about as much was heard: no more than
    ``slack`` extra, no less than all but ``cut_tail`` (on a loaded machine the sound server may
    not have played a clip's last buffer yet when its stream closes).
    """
    n = rate // 100

    def contour(x: np.ndarray) -> np.ndarray:
        x = without_silence(x).astype(np.float64)
        return np.sqrt((x[: len(x) // n * n].reshape(-1, n) ** 2).mean(axis=1))

    a, b = contour(reference), contour(recorded)
    if len(a) < 10 or not (1 - cut_tail) * len(a) <= len(b) <= (1 + slack) * len(a):
        return 0.0
    best = -1.0
    for shift in range(-3, 4):
        x, y = (a[shift:], b) if shift >= 0 else (a, b[-shift:])
        m = min(len(x), len(y))
        best = max(best, float(np.corrcoef(x[:m], y[:m])[0, 1]))
    return best
