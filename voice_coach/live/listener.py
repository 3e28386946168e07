"""The recognizer worker: microphone blocks in, ``HeardCommand``s out to the loop.

It runs in its own thread so a slow decode never delays a cue, and the audio
callback (inside the microphone) only copies blocks.  Two things are added on
the way to the loop:

* **Clock time of the words.**  A recognizer reports the *audio position* of
  its decision; each block's read time anchors audio positions to the loop
  clock, so the gate can tell whether the words overlapped the coach's speech.
* **Echo cancellation.**  With an ``EchoCanceller`` the coach's known audio
  is subtracted from the microphone before the recognizer hears it, so a
  therapist's "stop" stands alone instead of being buried in the coach's
  sentence.
* **Loudness against the known echo.**  The coach knows what it played.  While
  it speaks, the microphone level is compared block by block with the level
  of the played audio, which gives the echo gain of the room (learned outside
  the command's words, kept between utterances).  For a command the ratio
  "microphone level / (echo gain × played level)" over its words says whether
  someone spoke over the coach (clearly above 1) or the microphone just heard
  the coach itself (about 1).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

from voice_coach.live.inbox import HeardCommand, InboxItem
from voice_coach.recognition.base import SAMPLE_RATE_HZ, Heard, Recognizer

log = logging.getLogger(__name__)

ACTIVE_RMS = 200.0  # played audio below this level (int16 RMS) is a pause, not speech


class BlockSource(Protocol):
    def read(self, timeout: float | None = None) -> np.ndarray | None: ...


@dataclass(frozen=True)
class PlayedAudio:
    """What the coach played: ``samples`` (int16 mono, any ``rate``) from clock time ``start``.

    end: when playback really stopped (cut off by barge-in), None = played to the end.
    """

    start: float
    samples: np.ndarray
    rate: int
    end: float | None = None

    def level(self, t0: float, t1: float) -> float:
        stop = t1 if self.end is None else min(t1, self.end)
        i0 = max(0, int((t0 - self.start) * self.rate))
        i1 = min(len(self.samples), int((stop - self.start) * self.rate))
        if i1 <= i0:
            return 0.0
        chunk = self.samples[i0:i1].astype(np.float64)
        return float(np.sqrt(np.mean(chunk ** 2)))


class ReferenceTrack:
    """The coach's played audio as 16 kHz samples on the loop clock (the canceller's reference)."""

    def __init__(self, played: Callable[[], list["PlayedAudio"]]) -> None:
        self.played = played
        self._cache: dict[int, np.ndarray] = {}

    def _at_16k(self, p: "PlayedAudio") -> np.ndarray:
        key = id(p.samples)
        if key not in self._cache:
            from voice_coach.audio.wavio import resample

            x = p.samples if p.rate == SAMPLE_RATE_HZ else resample(p.samples, p.rate, SAMPLE_RATE_HZ)
            self._cache = {**dict(list(self._cache.items())[-4:]), key: x.astype(np.float64)}
        return self._cache[key]

    def samples(self, t0: float, n: int) -> np.ndarray:
        out = np.zeros(n)
        for p in self.played():
            x = self._at_16k(p)
            i0 = int(round((t0 - p.start) * SAMPLE_RATE_HZ))
            stop = len(x) if p.end is None else min(len(x), int((p.end - p.start) * SAMPLE_RATE_HZ))
            a, b = max(i0, 0), min(i0 + n, stop)
            if b > a:
                out[a - i0:b - i0] += x[a:b]
        return out


def _loud_half_mean(levels: list[float]) -> float:
    """Mean of the louder half: a short word is not diluted by the pauses around it."""
    ordered = sorted(levels, reverse=True)
    return float(np.mean(ordered[: max(1, len(ordered) // 2)]))


class LevelMeter:
    """Recent microphone block levels (RMS of int16 samples) with their clock times."""

    def __init__(self, keep_s: float = 30.0, echo_window_s: float = 10.0) -> None:
        self.keep_s = keep_s
        self.echo_window_s = echo_window_s
        self.echo_gain = 1.0  # until measured, assume the mic hears the coach at full level (the safe side)
        self._blocks: deque[tuple[float, float, float]] = deque()  # (start, end, rms)

    def add(self, samples: np.ndarray, end_t: float) -> None:
        if not len(samples):
            return
        start_t = end_t - len(samples) / SAMPLE_RATE_HZ
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
        self._blocks.append((start_t, end_t, rms))
        while self._blocks and self._blocks[0][1] < end_t - self.keep_s:
            self._blocks.popleft()

    def latest(self) -> tuple[float, float] | None:
        """(clock time, RMS) of the newest block, for a level display in another thread; None before any."""
        try:
            _, end_t, rms = self._blocks[-1]
        except IndexError:
            return None
        return end_t, rms

    def levels(self, t0: float, t1: float) -> list[float]:
        return [rms for s, e, rms in self._blocks if e > t0 and s < t1]

    def loudness_ratio(self, words: tuple[float, float], played: list[PlayedAudio], until: float) -> float | None:
        """Microphone level of ``words`` over the echo expected from ``played``; None if nothing was playing."""
        w0, w1 = words

        def played_level(s: float, e: float) -> float:
            return float(np.sqrt(sum(p.level(s, e) ** 2 for p in played)))

        pairs = [(rms, played_level(s, e)) for s, e, rms in self._blocks
                 if until - self.echo_window_s <= s and e <= until and (e <= w0 or s >= w1)]
        gains = [mic / ref for mic, ref in pairs if ref >= ACTIVE_RMS]
        if len(gains) >= 5:
            self.echo_gain = float(np.median(gains))
        ref_words = [played_level(s, e) for s, e, _ in self._blocks if e > w0 and s < w1]
        mic_words = self.levels(w0, w1)
        if not mic_words or not ref_words or _loud_half_mean(ref_words) < ACTIVE_RMS:
            return None  # the coach played nothing under these words: they cannot be its echo
        expected = self.echo_gain * _loud_half_mean(ref_words)
        return _loud_half_mean(mic_words) / max(expected, 1.0)


class CommandListener:
    """Feeds a recognizer from a block source in a daemon thread; posts commands to the loop.

    ``played`` returns the coach's recent audio with clock times (the echo
    reference); ``words_s`` is how long before a decision the command's words
    are assumed to have been spoken (for the loudness window).
    """

    def __init__(self, source: BlockSource, recognizer: Recognizer, post: Callable[[InboxItem], None],
                 now: Callable[[], float], played: Callable[[], list[PlayedAudio]] = lambda: [],
                 decision_delay_s: float = 0.25, words_s: float = 0.6, echo_canceller=None) -> None:
        self.source = source
        self.recognizer = recognizer
        self.post = post
        self.now = now
        self.played = played
        self.decision_delay_s = decision_delay_s
        self.words_s = words_s
        self.meter = LevelMeter()
        self.canceller = echo_canceller
        self.reference = ReferenceTrack(played)
        self._mic_buffer = np.zeros(0, np.float64)
        self._fed = 0  # samples fed to the recognizer so far
        self._stopping = threading.Event()
        self._reset_requested = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recognizer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            block = self.source.read(timeout=0.1)
            if block is None:
                continue
            try:
                for item in self.process_block(block, self.now()):
                    self.post(item)
            except Exception:  # one bad decode must not deafen the coach for the session
                log.exception("recognizer failed on a block; resetting it")
                self.recognizer.reset()

    def process_block(self, block: np.ndarray, end_t: float) -> list[HeardCommand]:
        """Feed one block whose last sample reached us at clock time ``end_t``."""
        if self._reset_requested.is_set():
            self._reset_requested.clear()
            self.recognizer.reset()
        # Loudness is judged on the raw microphone: the canceller's residual changes as it
        # learns, which would make "louder than the echo" a moving target.
        self.meter.add(block, end_t)
        if self.canceller is not None:
            block, end_t = self._cancel_echo(block, end_t)
            if not len(block):
                return []
        self._fed += len(block)
        return [self._to_item(h, end_t) for h in self.recognizer.accept(block)]

    def _cancel_echo(self, block: np.ndarray, end_t: float) -> tuple[np.ndarray, float]:
        """Cleaned whole canceller blocks (and the clock time their last sample was heard)."""
        from voice_coach.live.echo_canceller import BLOCK

        self._mic_buffer = np.concatenate([self._mic_buffer, block.astype(np.float64)])
        usable = len(self._mic_buffer) // BLOCK * BLOCK
        if not usable:
            return np.zeros(0, np.int16), end_t
        held_back = len(self._mic_buffer) - usable
        out_end_t = end_t - held_back / SAMPLE_RATE_HZ
        first_t = out_end_t - usable / SAMPLE_RATE_HZ
        cleaned = []
        for i in range(0, usable, BLOCK):
            ref = self.reference.samples(first_t + i / SAMPLE_RATE_HZ, BLOCK)
            cleaned.append(self.canceller.process(self._mic_buffer[i:i + BLOCK], ref))
        self._mic_buffer = self._mic_buffer[usable:]
        out = np.clip(np.concatenate(cleaned), -32768, 32767).astype(np.int16)
        return out, out_end_t

    def request_reset(self) -> None:
        """Drop half-heard audio before the next block (e.g. after the microphone came back)."""
        self._reset_requested.set()

    def _to_item(self, heard: Heard, block_end_t: float) -> HeardCommand:
        heard_at = block_end_t - (self._fed / SAMPLE_RATE_HZ - heard.at_s)
        words_end = heard_at - self.decision_delay_s
        ratio = self.meter.loudness_ratio((words_end - self.words_s, words_end), self.played(), until=block_end_t)
        return HeardCommand(command=heard.command, heard_at=heard_at, text=heard.text,
                            confidence=heard.confidence, loudness_ratio=ratio)
