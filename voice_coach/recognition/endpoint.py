"""Trailing-silence detection for fast decisions.

The engines' own endpointers wait 0.5–1 s of silence before finalizing.  A
recognizer can decide much sooner when the words heard so far are a complete
command that no longer command extends (``Grammar.is_final``) *and* the speaker
has gone quiet for a short moment; this module answers the second half.

Energy is measured on 10 ms frames in dB relative to full scale.  A frame is
silence when it is less than ``margin_db`` above an adaptive noise floor, so a
fan or music bed in the room counts as silence once the floor has adapted.
The floor follows quieter frames at once and rises only slowly
(``floor_rise_db_per_s``), so speech itself does not drag it up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from voice_coach.recognition.base import SAMPLE_RATE_HZ

FRAME_S = 0.010
FRAME_SAMPLES = int(SAMPLE_RATE_HZ * FRAME_S)
# Below this level a frame is silence whatever the floor says (digital silence, -70 dBFS).
ABSOLUTE_SILENCE_DB = -70.0
_FULL_SCALE = 32768.0


def frame_db(frame: np.ndarray) -> float:
    """RMS level of int16 samples in dB relative to full scale (-120 for all zeros)."""
    if frame.size == 0:
        return -120.0
    x = frame.astype(np.float64) / _FULL_SCALE
    power = float(np.mean(x * x))
    return 10.0 * math.log10(power) if power > 1e-12 else -120.0


@dataclass
class TrailingSilence:
    """Feeds on int16 audio, tells whether the last ``min_silence_s`` were silent.

    ``update(chunk)`` accepts any chunk length (it keeps the partial frame) and
    returns True when at least ``min_silence_s`` of silence has followed speech.
    ``reset()`` starts a new utterance but keeps the learned noise floor.
    """

    min_silence_s: float = 0.18
    margin_db: float = 8.0
    floor_rise_db_per_s: float = 3.0
    silence_s: float = field(default=0.0, init=False)  # current run of silent audio
    speech_seen: bool = field(default=False, init=False)  # any speech frame since reset
    floor_db: float | None = field(default=None, init=False)
    _pending: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16), init=False, repr=False)

    def update(self, samples: np.ndarray) -> bool:
        samples = np.asarray(samples, dtype=np.int16).reshape(-1)
        if self._pending.size:
            samples = np.concatenate([self._pending, samples])
        usable = samples.size - samples.size % FRAME_SAMPLES
        for start in range(0, usable, FRAME_SAMPLES):
            self._frame(frame_db(samples[start : start + FRAME_SAMPLES]))
        self._pending = samples[usable:].copy()
        return self.is_silent()

    def is_silent(self) -> bool:
        return self.speech_seen and self.silence_s >= self.min_silence_s - 1e-9

    def reset(self) -> None:
        self.silence_s = 0.0
        self.speech_seen = False
        self._pending = np.zeros(0, np.int16)

    def _frame(self, level_db: float) -> None:
        if self.floor_db is None or level_db < self.floor_db:
            self.floor_db = level_db
        else:
            self.floor_db = min(level_db, self.floor_db + self.floor_rise_db_per_s * FRAME_S)
        silent = level_db < ABSOLUTE_SILENCE_DB or level_db < self.floor_db + self.margin_db
        if silent:
            self.silence_s += FRAME_S
        else:
            self.silence_s = 0.0
            self.speech_seen = True
