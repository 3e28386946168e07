"""A streaming (chunk-by-chunk) polyphase resampler for the microphone.

Whole-file resampling (``voice_coach.grammar.wavio.resample``) cannot be used on
a live stream: filtering each callback block on its own clicks at every block
edge and drifts the length.  This one keeps the filter history and the output
phase between calls, so feeding a signal in any chunking gives the same samples
as feeding it at once, and N input samples give N*to/from outputs over time.
"""

from __future__ import annotations

from math import gcd

import numpy as np

_TAPS_AT_LOW_RATE = 32  # filter span in samples of the lower rate: ~-60 dB stop band, cheap on a Pi


def _lowpass(up: int, down: int, taps: int) -> np.ndarray:
    """Windowed-sinc anti-alias filter at the up-sampled rate, gain ``up`` (zero-stuffing loses it)."""
    n = taps * up
    cutoff = 0.5 / max(up, down) * 0.92  # cycles per up-sampled sample, a little under Nyquist
    t = np.arange(n) - (n - 1) / 2
    h = 2 * cutoff * np.sinc(2 * cutoff * t) * np.kaiser(n, 8.0)
    return h * (up / h.sum())


class StreamResampler:
    """int16 mono ``from_hz`` → int16 mono ``to_hz``; call ``process`` with consecutive chunks."""

    def __init__(self, from_hz: int, to_hz: int) -> None:
        if from_hz <= 0 or to_hz <= 0:
            raise ValueError(f"sample rates must be positive, got {from_hz} → {to_hz}")
        g = gcd(int(from_hz), int(to_hz))
        self.up, self.down = int(to_hz) // g, int(from_hz) // g
        self.from_hz, self.to_hz = int(from_hz), int(to_hz)
        # Taps per phase, in input samples: a fixed span at the lower of the two rates.
        self._taps = -(-_TAPS_AT_LOW_RATE * max(self.up, self.down) // self.up)
        h = _lowpass(self.up, self.down, self._taps)
        # phases[p][l] = h[p + l*up]: the taps that meet input sample (i0 - l) at phase p.
        self._phases = h.reshape(self._taps, self.up).T.copy()
        self._history = np.zeros(self._taps - 1, dtype=np.float64)
        self._next_k = 0  # up-sampled index of the next output, relative to the history start
        self._consumed = 0  # input samples seen so far

    @property
    def passthrough(self) -> bool:
        return self.up == self.down

    def process(self, chunk: np.ndarray) -> np.ndarray:
        x = np.asarray(chunk).reshape(-1)
        if self.passthrough:
            return x.astype(np.int16, copy=True)
        buf = np.concatenate([self._history, x.astype(np.float64)])
        hist = len(self._history)
        # Output m lands at up-sampled position k; it needs input index i0 = k // up (in
        # stream terms) and the (taps-1) samples before it, all of which are in buf.
        total_in = self._consumed + len(x)
        k0 = self._next_k
        last_k = total_in * self.up - 1
        if k0 > last_k:
            self._consumed = total_in
            self._history = buf[-hist:]
            return np.zeros(0, dtype=np.int16)
        ks = np.arange(k0, last_k + 1, self.down, dtype=np.int64)
        i0 = ks // self.up - (self._consumed - hist)  # index into buf
        phase = ks % self.up
        idx = i0[:, None] - np.arange(self._taps)[None, :]
        taps = self._phases[phase]
        y = np.einsum("ij,ij->i", taps, buf[idx])
        self._next_k = int(ks[-1]) + self.down
        self._consumed = total_in
        self._history = buf[-hist:]
        return np.clip(np.rint(y), -32768, 32767).astype(np.int16)
