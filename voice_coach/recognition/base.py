"""The streaming recognizer interface shared by Vosk, PocketSphinx and text input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_coach.intents import Command

SAMPLE_RATE_HZ = 16000  # every recognizer takes 16 kHz mono int16


@dataclass(frozen=True)
class Heard:
    """A command decided by a recognizer.

    at_s: audio position in seconds, counted from the first sample fed, at which
        the decision was made (not when the speaker started).
    confidence: engine-specific score in 0.0–1.0 when the engine has one.
    """

    command: Command
    at_s: float
    text: str
    confidence: float | None = None


class Recognizer(Protocol):
    name: str

    def accept(self, samples: np.ndarray) -> list[Heard]:
        """Feed int16 mono 16 kHz samples (any chunk length); return commands decided so far."""

    def flush(self) -> list[Heard]:
        """End of stream: decide whatever is pending."""

    def reset(self) -> None:
        """Forget pending audio (e.g. after the coach's own speech); positions keep counting."""
