"""The recognizer worker: microphone blocks in, ``HeardCommand``s out to the loop.

It runs in its own thread so a slow decode never delays a cue, and the audio
callback (inside the microphone) only copies blocks.  Two things are added on
the way to the loop:

* **Clock time of the words.**  A recognizer reports the *audio position* of
  its decision; each block's read time anchors audio positions to the loop
  clock, so the gate can tell whether the words overlapped the coach's speech.
* **Loudness against the echo.**  Every block's level is kept for a few
  seconds.  For a command decided while the coach was talking, the level of
  the command's words is divided by the typical level the microphone had
  during the coach's speech (the echo); the gate wants a clear margin.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Callable, Iterable, Protocol

import numpy as np

from voice_coach.live.inbox import HeardCommand, InboxItem
from voice_coach.recognition.base import SAMPLE_RATE_HZ, Heard, Recognizer

log = logging.getLogger(__name__)

Span = tuple[float, float | None]  # (start, end or None while speaking), clock seconds


class BlockSource(Protocol):
    def read(self, timeout: float | None = None) -> np.ndarray | None: ...


class LevelMeter:
    """Recent block levels (RMS of int16 samples) with the clock time each block ended."""

    def __init__(self, keep_s: float = 30.0) -> None:
        self.keep_s = keep_s
        self._blocks: deque[tuple[float, float, float]] = deque()  # (start, end, rms)

    def add(self, samples: np.ndarray, end_t: float) -> None:
        if not len(samples):
            return
        start_t = end_t - len(samples) / SAMPLE_RATE_HZ
        rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
        self._blocks.append((start_t, end_t, rms))
        while self._blocks and self._blocks[0][1] < end_t - self.keep_s:
            self._blocks.popleft()

    def levels(self, t0: float, t1: float) -> list[float]:
        return [rms for s, e, rms in self._blocks if e > t0 and s < t1]

    def loudness_ratio(self, words: tuple[float, float], spans: Iterable[Span],
                       echo_percentile: float = 75.0) -> float | None:
        """Level of ``words`` over the echo level heard during ``spans``; None when not measurable.

        The echo level is a high percentile of block levels while the coach was
        audible (so its loud syllables count), the command's level is the mean
        of its loudest half of blocks (so a short word is not diluted by the
        silence the recognizer needed to decide).
        """
        echo = [rms for start, end in spans for rms in self.levels(start, end if end is not None else words[1])]
        said = sorted(self.levels(*words), reverse=True)
        if len(echo) < 3 or not said:
            return None
        echo_level = float(np.percentile(echo, echo_percentile))
        said_level = float(np.mean(said[: max(1, len(said) // 2)]))
        if echo_level <= 1.0:  # digital silence: nothing the coach said reached the mic
            return None
        return said_level / echo_level


class CommandListener:
    """Feeds a recognizer from a block source in a daemon thread; posts commands to the loop.

    ``speech_spans`` returns when the coach was audible (clock seconds);
    ``words_s`` is how long before a decision the command's words are assumed
    to have been spoken (for the loudness window).
    """

    def __init__(self, source: BlockSource, recognizer: Recognizer, post: Callable[[InboxItem], None],
                 now: Callable[[], float], speech_spans: Callable[[], list[Span]] = lambda: [],
                 decision_delay_s: float = 0.25, words_s: float = 0.6) -> None:
        self.source = source
        self.recognizer = recognizer
        self.post = post
        self.now = now
        self.speech_spans = speech_spans
        self.decision_delay_s = decision_delay_s
        self.words_s = words_s
        self.meter = LevelMeter()
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
        self.meter.add(block, end_t)
        self._fed += len(block)
        return [self._to_item(h, end_t) for h in self.recognizer.accept(block)]

    def request_reset(self) -> None:
        """Drop half-heard audio before the next block (e.g. after the microphone came back)."""
        self._reset_requested.set()

    def _to_item(self, heard: Heard, block_end_t: float) -> HeardCommand:
        heard_at = block_end_t - (self._fed / SAMPLE_RATE_HZ - heard.at_s)
        words_end = heard_at - self.decision_delay_s
        ratio = self.meter.loudness_ratio((words_end - self.words_s, words_end), self._spans_before(heard_at))
        return HeardCommand(command=heard.command, heard_at=heard_at, text=heard.text,
                            confidence=heard.confidence, loudness_ratio=ratio)

    def _spans_before(self, t: float) -> list[Span]:
        # Only the coach's speech around this command tells what its echo sounds like now.
        return [(s, e) for s, e in self.speech_spans() if s <= t and (e is None or e >= t - 1.0)]
