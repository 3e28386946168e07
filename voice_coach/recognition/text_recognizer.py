"""A recognizer fed with text instead of speech: for ``--text`` input and tests.

It behaves like the audio recognizers (same ``Heard`` results, same rules:
whole utterances only, wake word honoured) because every line goes through
``Grammar.parse``.  Lines are either typed (``hear``) or scripted at audio
positions (``script``), in which case ``accept`` releases them as the fed
audio reaches their position, so code that drives a recognizer with audio can
be tested without speech.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

import numpy as np

from voice_coach.grammar import Grammar
from voice_coach.recognition.base import SAMPLE_RATE_HZ, Heard


class TextRecognizer:
    name = "text"

    def __init__(self, grammar: Grammar, script: Iterable[tuple[float, str]] = ()) -> None:
        """``script``: (audio position in seconds, utterance) pairs, in any order."""
        self.grammar = grammar
        self._script = deque(sorted(script, key=lambda item: item[0]))
        self._fed = 0
        self.rejected: list[str] = []  # lines that were not commands, for feedback

    @property
    def position_s(self) -> float:
        return self._fed / SAMPLE_RATE_HZ

    def hear(self, text: str, at_s: float | None = None) -> list[Heard]:
        """One typed or transcribed utterance; [] when it is not a command."""
        command = self.grammar.parse(text)
        if command is None:
            self.rejected.append(text)
            return []
        return [Heard(command, self.position_s if at_s is None else at_s, command.text, 1.0)]

    def accept(self, samples: np.ndarray) -> list[Heard]:
        self._fed += int(np.asarray(samples).size)
        return self._release(self.position_s)

    def flush(self) -> list[Heard]:
        return self._release(float("inf"))

    def reset(self) -> None:
        """Scripted lines are not pending audio, so nothing is dropped."""

    def _release(self, until_s: float) -> list[Heard]:
        heard: list[Heard] = []
        while self._script and self._script[0][0] <= until_s:
            at_s, text = self._script.popleft()
            heard += self.hear(text, at_s)
        return heard
