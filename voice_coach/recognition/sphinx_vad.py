"""Speech-segment detection in front of PocketSphinx.

The decoder only sees audio between a speech onset and the decision, so it
costs nothing in silence, and every segment is one candidate utterance whose
*whole* content must be a command.  Energy is measured on 10 ms frames
relative to an adaptive noise floor: a low percentile of the last few seconds,
which follows a fan or music bed without being dragged up by speech.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from voice_coach.recognition.endpoint import FRAME_SAMPLES

_FULL_SCALE = 32768.0


def frame_levels_db(samples: np.ndarray) -> np.ndarray:
    """dBFS level of each whole 10 ms frame of int16 samples (vectorized)."""
    n = samples.size // FRAME_SAMPLES
    x = samples[: n * FRAME_SAMPLES].astype(np.float32).reshape(n, FRAME_SAMPLES) / _FULL_SCALE
    power = np.mean(x * x, axis=1)
    return 10.0 * np.log10(np.maximum(power, 1e-12))


@dataclass
class SpeechGate:
    """Per-frame speech/silence decisions against an adaptive noise level.

    Levels are smoothed over ``smooth_frames`` (in the power domain) so the
    syllable-rate flicker of babble does not read as speech/silence changes.
    The noise level is the ``noise_percentile`` of the last ``history_s`` of
    *background* levels (frames outside candidate utterances, plus utterances
    dropped as too long): the middle of steady noise or babble rather than its
    quietest dips, and never dragged up by the speech being listened to.

    onset_db: a frame is loud when this far above the noise level;
        ``onset_frames`` loud frames within the last ``onset_window`` start speech.
    silence_db: a frame below noise + silence_db is silent.
    """

    onset_db: float = 8.0
    onset_frames: int = 4
    onset_window: int = 6
    silence_db: float = 4.0
    smooth_frames: int = 5
    history_s: float = 3.0
    noise_percentile: float = 50.0
    min_noise_db: float = -75.0
    _history: deque = field(default_factory=deque, init=False, repr=False)
    _recent_loud: deque = field(default_factory=deque, init=False, repr=False)
    _powers: deque = field(default_factory=deque, init=False, repr=False)
    noise_db: float = field(default=-75.0, init=False)
    _since_update: int = field(default=0, init=False)

    def observe(self, level_db: float, background: bool) -> tuple[bool, bool, float]:
        """Feed one frame level; returns (onset_now, frame_is_silent, smoothed_level_db).

        ``background``: the frame is not part of a candidate utterance, so it
        may teach the noise level.
        """
        self._powers.append(10.0 ** (level_db / 10.0))
        if len(self._powers) > self.smooth_frames:
            self._powers.popleft()
        smoothed = 10.0 * math.log10(max(sum(self._powers) / len(self._powers), 1e-12))
        if background:
            self.absorb([smoothed])
        loud = smoothed > self.noise_db + self.onset_db
        self._recent_loud.append(loud)
        if len(self._recent_loud) > self.onset_window:
            self._recent_loud.popleft()
        onset = sum(self._recent_loud) >= self.onset_frames
        silent = smoothed < self.noise_db + self.silence_db
        return onset, silent, smoothed

    def absorb(self, levels: list[float]) -> None:
        """Count these smoothed levels as background noise."""
        self._history.extend(levels)
        while len(self._history) > int(self.history_s * 100):
            self._history.popleft()
        self._since_update += len(levels)
        if self._since_update >= 10 or len(self._history) < 10:
            # Recomputing the percentile every 100 ms is plenty and keeps this cheap.
            self.noise_db = max(self.min_noise_db, float(np.percentile(self._history, self.noise_percentile)))
            self._since_update = 0

    def clear_onset(self) -> None:
        self._recent_loud.clear()
