"""Acoustic echo cancellation: subtract the coach's own voice from the microphone.

The coach knows exactly what it plays, so the echo on the microphone is that
audio passed through the room (delay, reverberation, level).  A partitioned
block frequency-domain adaptive filter (PBFDAF, an NLMS filter run on FFT
blocks) learns that path and subtracts its estimate; what is left is the
therapist's voice and the room noise.  Without it the recognizer hears one
long stretch of speech (coach + therapist) and cannot pick a "stop" out of it.

Block size 256 samples (16 ms at 16 kHz), 16 partitions: echo paths up to
~0.25 s long.  Cost: two FFTs of 512 points and 16 complex multiply-adds per
block — a few percent of a Raspberry Pi core.

Adaptation pauses when nothing is playing (there is nothing to learn) and is
slowed when the microphone is much louder than the filter's echo estimate
(double talk: the therapist is speaking), so a command does not untrain it.
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
        self._w = np.zeros((partitions, bins), np.complex128)  # filter, per partition
        self._x = np.zeros((partitions, bins), np.complex128)  # reference spectra, newest first
        self._ref_prev = np.zeros(block)
        self._power = np.full(bins, 1e4)  # smoothed reference power per bin
        self.active_blocks = 0  # blocks with a reference playing (for reports)

    def reset(self) -> None:
        self._w[:] = 0

    def process(self, mic: np.ndarray, ref: np.ndarray) -> np.ndarray:
        """One block: ``mic`` and the played ``ref`` (same length ``BLOCK``, float or int16) -> cleaned mic."""
        n = self.n
        mic = np.asarray(mic, np.float64)
        ref = np.asarray(ref, np.float64)
        spectrum = np.fft.rfft(np.concatenate([self._ref_prev, ref]))
        self._ref_prev = ref
        self._x = np.roll(self._x, 1, axis=0)
        self._x[0] = spectrum
        echo = np.fft.irfft((self._w * self._x).sum(axis=0))[n:]
        error = mic - echo
        ref_energy = float(np.dot(ref, ref))
        if ref_energy > n * 100.0 ** 2:  # something audible is playing: learn the echo path
            self.active_blocks += 1
            self._power = 0.9 * self._power + 0.1 * (np.abs(self._x) ** 2).sum(axis=0)
            mic_energy = float(np.dot(mic, mic))
            echo_energy = float(np.dot(echo, echo))
            mu = self.step
            if self.active_blocks > 20 and mic_energy > 4.0 * echo_energy + n * 300.0 ** 2:
                mu *= 0.05  # double talk: someone speaks over the coach
            err_spec = np.fft.rfft(np.concatenate([np.zeros(n), error]))
            grad = np.conj(self._x) * err_spec / (self._power + 1e-6)
            # Gradient constraint: keep each partition a causal, block-long filter.
            g = np.fft.irfft(grad, axis=1)
            g[:, n:] = 0
            self._w += mu * np.fft.rfft(g, axis=1)
        return error
