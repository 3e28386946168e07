"""Engine-independent speech segments: one segment = one candidate utterance.

The neural and fused engines classify a *whole* segment, so a command must be
all of it and a segment much longer than any command is never one.  Energy on
10 ms frames against the adaptive noise level of ``SpeechGate`` finds the
onset; the end is a short silence (or, in a noisy room, a level drop well
below the loud part).  After a segment that ran too long, nothing new starts
until that talk has gone quiet, so the tail of a long sentence ("... and then
we stop") is never judged on its own.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from voice_coach.recognition.endpoint import FRAME_S, FRAME_SAMPLES
from voice_coach.recognition.sphinx_vad import SpeechGate, frame_levels_db


@dataclass(frozen=True)
class SegmenterSettings:
    """Segment timing, in seconds of audio.

    end_silence_s: silence that ends a segment.
    early_silence_s: silence after which an early look is offered (for "stop").
    preroll_s: audio before the detected onset that belongs to the segment.
    max_segment_s: longer speech is talk, never a command.
    min_segment_s: shorter blips (a click, a cough) are not judged.
    min_noisy_segment_s: the same in a noisy room, where the noise hides a short word's
        consonants (the "st" and "p" of "stop") and only its vowel reads as speech.
    noisy_room_db: background above this (dBFS) counts as a noisy room.
    drop_db: in a noisy room, this far below the loud part counts as quiet.
    """

    end_silence_s: float = 0.25
    early_silence_s: float = 0.12
    preroll_s: float = 0.25
    max_segment_s: float = 3.5
    min_segment_s: float = 0.15
    min_noisy_segment_s: float = 0.08
    noisy_room_db: float = -50.0
    drop_db: float = 10.0


@dataclass(frozen=True)
class Segment:
    """A finished (or early-looked-at) candidate utterance.

    start_s / end_s: audio positions (seconds from the first sample fed) of the
        segment's first frame (pre-roll included) and of its last loud frame.
    at_s: position at which the segment was handed out (end_s + the silence waited).
    audio: the segment's int16 samples from start_s to at_s.
    noisy: the room was noisy when it started.
    final: False for an early look (the segment may still go on).
    """

    start_s: float
    end_s: float
    at_s: float
    audio: np.ndarray
    noisy: bool
    final: bool = True
    onset_s: float = 0.0  # where speech was detected (after the pre-roll)

    @property
    def speech_s(self) -> float:
        return max(0.0, self.end_s - self.onset_s)


@dataclass
class _Open:
    start_frame: int
    onset_frame: int
    noisy: bool
    frames: list[np.ndarray] = field(default_factory=list)
    levels: list[float] = field(default_factory=list)
    silent: list[bool] = field(default_factory=list)
    silence_run: int = 0
    early_offered: bool = False
    # levels[:-needed] kept sorted per ``needed``, grown frame by frame: a noisy room's loud
    # reference without sorting the whole segment again on every frame.
    sorted_heads: dict[int, list[float]] = field(default_factory=dict)

    def loud_reference(self, needed: int, share: float = 0.8) -> float:
        """The ``share`` percentile of levels[:-needed] (numpy's default linear interpolation)."""
        head = self.sorted_heads.setdefault(needed, [])
        for level in self.levels[len(head) : len(self.levels) - needed]:
            bisect.insort(head, level)
        position = share * (len(head) - 1)
        low = int(position)
        high = min(low + 1, len(head) - 1)
        return head[low] + (head[high] - head[low]) * (position - low)


class Segmenter:
    """Feeds int16 audio, hands out ``Segment``s; positions count from the first sample."""

    def __init__(self, settings: SegmenterSettings | None = None, gate: SpeechGate | None = None) -> None:
        self.settings = settings or SegmenterSettings()
        self._gate = gate or SpeechGate()
        self._frames_seen = 0
        self._pending = np.zeros(0, np.int16)
        self._preroll: deque[tuple[np.ndarray, float, bool]] = deque(
            maxlen=max(1, round(self.settings.preroll_s / FRAME_S)))
        self._open: _Open | None = None
        self._overlong = False  # inside talk that already ran too long
        self._overlong_quiet = 0  # silent frames in a row since

    @property
    def position_s(self) -> float:
        return self._frames_seen * FRAME_S

    @property
    def noise_db(self) -> float:
        return self._gate.noise_db

    @property
    def in_speech(self) -> bool:
        return self._open is not None

    def accept(self, samples: np.ndarray) -> list[Segment]:
        samples = np.asarray(samples, dtype=np.int16).reshape(-1)
        if self._pending.size:
            samples = np.concatenate([self._pending, samples])
        usable = samples.size - samples.size % FRAME_SAMPLES
        out: list[Segment] = []
        if usable:
            frames = samples[:usable].reshape(-1, FRAME_SAMPLES)
            for frame, level in zip(frames, frame_levels_db(samples[:usable])):
                segment = self._frame(frame, float(level))
                if segment is not None:
                    out.append(segment)
        self._pending = samples[usable:].copy()
        return out

    def flush(self) -> list[Segment]:
        """End of stream: hand out the open segment, if any, as final."""
        opened = self._open
        self._open = None
        if opened is None or self._overlong:
            return []
        segment = self._segment(opened, final=True)
        return [segment] if self._long_enough(segment) else []

    def reset(self) -> None:
        self._open = None
        self._overlong = False
        self._pending = np.zeros(0, np.int16)
        self._preroll.clear()
        self._gate.clear_onset()

    # ---- internals -------------------------------------------------------------
    def _frame(self, frame: np.ndarray, level: float) -> Segment | None:
        self._frames_seen += 1
        s = self.settings
        opened = self._open
        # Inside overlong sound the gate keeps learning: steady noise (a fan
        # switched on) becomes the new floor within seconds, talk ends at a pause.
        onset, silent, smoothed = self._gate.observe(level, background=opened is None)
        if self._overlong:
            self._overlong_quiet = self._overlong_quiet + 1 if silent else 0
            self._preroll.append((frame, smoothed, silent))
            if self._overlong_quiet >= round(s.end_silence_s / FRAME_S):
                self._overlong = False
                self._gate.clear_onset()
            return None
        if opened is None:
            self._preroll.append((frame, smoothed, silent))
            if onset:
                self._start()
            return None
        opened.frames.append(frame)
        opened.levels.append(smoothed)
        opened.silent.append(silent)
        opened.silence_run = opened.silence_run + 1 if silent else 0
        if len(opened.frames) * FRAME_S > s.max_segment_s:
            self._open = None
            self._overlong = True
            self._overlong_quiet = 0
            return None
        end_frames = round(s.end_silence_s / FRAME_S)
        if self._quiet_tail(opened, end_frames):
            self._open = None
            self._preroll.clear()
            self._gate.clear_onset()
            segment = self._segment(opened, final=True)
            return segment if self._long_enough(segment) else None
        early_frames = round(s.early_silence_s / FRAME_S)
        if not opened.early_offered and self._quiet_tail(opened, early_frames):
            opened.early_offered = True
            segment = self._segment(opened, final=False)
            return segment if self._long_enough(segment) else None
        if opened.silence_run == 0:
            opened.early_offered = False
        return None

    def _start(self) -> None:
        noisy = self._gate.noise_db > self.settings.noisy_room_db
        opened = _Open(start_frame=self._frames_seen - len(self._preroll), onset_frame=self._frames_seen,
                       noisy=noisy)
        for frame, level, silent in self._preroll:
            opened.frames.append(frame)
            opened.levels.append(level)
            opened.silent.append(silent)
        self._preroll.clear()
        self._open = opened

    def _long_enough(self, segment: Segment) -> bool:
        s = self.settings
        return segment.speech_s >= (s.min_noisy_segment_s if segment.noisy else s.min_segment_s)

    def _quiet_tail(self, opened: _Open, needed: int) -> bool:
        """The last ``needed`` frames are silent, or (noisy room) well below the loud part."""
        if len(opened.levels) < needed + 10:
            return False
        if opened.silence_run >= needed:
            return True
        if not opened.noisy:
            return False
        tail = opened.levels[-needed:]
        mean_db = 10.0 * math.log10(sum(10.0 ** (x / 10.0) for x in tail) / len(tail))
        return mean_db < opened.loud_reference(needed) - self.settings.drop_db

    def _segment(self, opened: _Open, final: bool) -> Segment:
        quiet = 0
        for silent in reversed(opened.silent):
            if not silent:
                break
            quiet += 1
        if not quiet:  # a noisy room's level drop rather than silence
            quiet = round((self.settings.end_silence_s if final else self.settings.early_silence_s) / FRAME_S)
        start_s = opened.start_frame * FRAME_S
        at_s = self._frames_seen * FRAME_S
        end_s = max(start_s, at_s - quiet * FRAME_S)
        return Segment(start_s=round(start_s, 3), end_s=round(end_s, 3), at_s=round(at_s, 3),
                       audio=np.concatenate(opened.frames), noisy=opened.noisy, final=final,
                       onset_s=round(opened.onset_frame * FRAME_S, 3))
