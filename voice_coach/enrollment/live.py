"""The guided enrollment's edge: prompts on the screen (and spoken), takes from the microphone."""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

import numpy as np

from voice_coach.audio.microphone import MicrophoneStream
from voice_coach.recognition.segmenter import Segmenter

RATE = 16000


class ScreenGuide:
    """Prompts printed only (``--no-speech``, or no speaker)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show(self, text: str) -> None:
        print(text, file=self.out, flush=True)


class SpeakingGuide(ScreenGuide):
    """Prompts printed and spoken by the coach's voice; ``say`` returns once the speaker is done,
    so the take that follows does not record the prompt."""

    def __init__(self, speak: Callable[[str], None], out: TextIO | None = None) -> None:
        super().__init__(out)
        self._speak = speak

    def say(self, text: str) -> None:
        super().say(text)
        self._speak(text)


class MicTakeRecorder:
    """One take from a running microphone: from the call until the speech has ended
    (``tail_s`` of quiet after it), or ``max_s`` at most."""

    def __init__(self, mic: MicrophoneStream, max_s: float = 4.0, tail_s: float = 0.35,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.mic = mic
        self.max_s = max_s
        self.tail_s = tail_s
        self.clock = clock

    def _drain(self) -> None:
        """Audio queued while the prompt was spoken is not part of the take."""
        while self.mic.read(timeout=0.0) is not None:
            pass

    def record(self) -> np.ndarray:
        self._drain()
        segmenter = Segmenter()
        blocks: list[np.ndarray] = []
        got = 0
        ended_at: int | None = None
        deadline = self.clock() + self.max_s + 2.0  # a stalled microphone must not hang the enrollment
        while got < self.max_s * RATE and self.clock() < deadline:
            block = self.mic.read(timeout=0.2)
            if block is None:
                continue
            blocks.append(block)
            got += block.size
            if any(s.final for s in segmenter.accept(block)) and ended_at is None:
                ended_at = got
            if ended_at is not None and got - ended_at >= self.tail_s * RATE:
                break
        return np.concatenate(blocks).astype(np.int16) if blocks else np.zeros(0, np.int16)
