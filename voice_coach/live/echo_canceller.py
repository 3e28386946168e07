"""Acoustic echo cancellation: subtract the coach's own voice from the microphone.

The coach knows exactly what it plays, so the echo on the microphone is that
audio passed through the room (delay, reverberation, level).  A partitioned
block frequency-domain adaptive filter (PBFDAF, an NLMS filter run on FFT
blocks) learns that path and subtracts its estimate; what is left is the
therapist's voice and the room noise.  Without it the recognizer hears one
long stretch of speech (coach + therapist) and cannot pick a "stop" out of it.

Block size 256 samples (16 ms at 16 kHz), 16 partitions: echo paths up to
~0.25 s long.  Cost: a few FFTs of 512 points per block — a few percent of
a Raspberry Pi core.

Two filters (the classic "two-path" canceller): a background filter adapts on
every block where the coach is audible; the foreground filter, whose output is
used, takes the background's coefficients only when they remove clearly more
than it does itself.  So the therapist talking over the coach (which throws
any adaptive filter off) never reaches the output, and with no echo at all
(a far speaker, a headset) the output is the microphone, untouched — a faint
learned copy of the coach's voice would otherwise confuse the recognizer's
speech detection.
"""

from __future__ import annotations

import numpy as np

BLOCK = 256


class EchoCanceller:
    def __init__(self, partitions: int = 16, step: float = 0.3, block: int = BLOCK) -> None:
        self.n = block
        self.p = partitions
        self.step = step
        bins = block + 1
        self._bg = np.zeros((partitions, bins), np.complex128)  # background filter (always adapting)
        self._fg = np.zeros((partitions, bins), np.complex128)  # foreground filter (used for output)
        self._x = np.zeros((partitions, bins), np.complex128)  # reference spectra, newest first
        self._ref_prev = np.zeros(block)
        self._power: np.ndarray | None = None  # smoothed reference power per bin
        self._e_bg = self._e_fg = self._e_mic = 0.0  # smoothed energies: errors and microphone
        self.active_blocks = 0  # blocks with the coach audible (for reports)
        self.copies = 0  # times the foreground took the background's filter

    def reset(self) -> None:
        self._bg[:] = 0
        self._fg[:] = 0

    def _echo(self, w: np.ndarray) -> np.ndarray:
        return np.fft.irfft((w * self._x).sum(axis=0))[self.n:]

    def process(self, mic: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """One block: ``mic`` and the played ``ref`` (same length ``BLOCK``, float or int16) -> cleaned mic."""
        n = self.n
        mic = np.asarray(mic, np.float64)
        ref = np.asarray(ref, np.float64)
        spectrum = np.fft.rfft(np.concatenate([self._ref_prev, ref]))
        self._ref_prev = ref
        self._x = np.roll(self._x, 1, axis=0)
        self._x[0] = spectrum
        out = mic - self._echo(self._fg)
        if float(np.dot(ref, ref)) <= n * 100.0 ** 2:
            return out  # nothing audible playing: nothing to learn
        self.active_blocks += 1
        err = mic - self._echo(self._bg)
        power = (np.abs(self._x) ** 2).sum(axis=0)
        self._power = power if self._power is None else 0.9 * self._power + 0.1 * power
        err_spec = np.fft.rfft(np.concatenate([np.zeros(n), err]))
        # Bins where the coach's voice has almost no energy must not get huge steps: regularize
        # with a share of the mean power.
        grad = np.conj(self._x) * err_spec / (self._power + 0.05 * float(self._power.mean()) + 1.0)
        g = np.fft.irfft(grad, axis=1)
        g[:, n:] = 0  # gradient constraint: each partition stays a causal, block-long filter
        self._bg += self.step * np.fft.rfft(g, axis=1)

        a = 0.8  # ~80 ms memory for the comparison
        self._e_bg = a * self._e_bg + (1 - a) * float(np.dot(err, err))
        self._e_fg = a * self._e_fg + (1 - a) * float(np.dot(out, out))
        self._e_mic = a * self._e_mic + (1 - a) * float(np.dot(mic, mic))
        if self._e_bg < 0.5 * self._e_fg and self._e_bg < 0.5 * self._e_mic:
            self._fg = self._bg.copy()  # the background clearly cancels more: use it
            self.copies += 1
        elif self._e_bg > 4.0 * self._e_mic:
            self._bg = self._fg.copy()  # the background went astray (double talk): start again from the good one
        return out
