"""The neural command recognizer: segment the stream, embed it, classify each whole segment.

Segments come from ``Segmenter``; each segment's openWakeWord embeddings are
pooled and classified by the ``CommandModel`` into a command class or "none".
A command is decided when its class is probable enough; "stop" (and other
commands nothing extends) may be decided at the early look, a moment before the
segment's end silence has fully passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from voice_coach.errors import RecognizerError
from voice_coach.grammar import Grammar
from voice_coach.recognition.base import Heard
from voice_coach.recognition.neural.classes import ClassMap
from voice_coach.recognition.neural.features import EmbeddingStream
from voice_coach.recognition.neural.model import NONE_LABEL, CommandModel, pool
from voice_coach.recognition.neural.profile import VoiceProfile
from voice_coach.recognition.segmenter import Segment, Segmenter, SegmenterSettings


@dataclass(frozen=True)
class NeuralSettings:
    """Decision thresholds (probabilities 0–1; seconds of audio).

    min_probability: the best class must reach this to be decided.
    early_probability: at the early look a command nothing extends needs this.
    max_command_s: segments with more speech than this are talk, never a command.
    """

    min_probability: float = 0.7
    early_probability: float = 0.85
    max_command_s: float = 3.0


@dataclass(frozen=True)
class NeuralJudgment:
    """The model's view of one segment (used alone, or as one voice in the fused engine).

    closeness: with a voice profile, per enrolled command label the cosine similarity (-1–1)
    of the segment to the person's closest take of it; empty without one.
    """

    probabilities: np.ndarray
    labels: tuple[str, ...]
    frames: int
    closeness: dict[str, float] = field(default_factory=dict)

    def best(self, exclude_none: bool = False) -> tuple[str, float]:
        order = np.argsort(-self.probabilities)
        for index in order:
            label = self.labels[int(index)]
            if exclude_none and label == NONE_LABEL:
                continue
            return label, float(self.probabilities[int(index)])
        return NONE_LABEL, 0.0

    def take_closeness(self, label: str) -> tuple[float, float]:
        """The segment's closeness to the person's closest take of ``label`` and to their closest
        take of any other command (-1 where there is none)."""
        mine = self.closeness.get(label, -1.0)
        others = max((value for other, value in self.closeness.items() if other != label), default=-1.0)
        return mine, others

    def probability(self, label: str) -> float:
        return float(self.probabilities[self.labels.index(label)]) if label in self.labels else 0.0

    def intent_probability(self, intent: str) -> float:
        return float(sum(p for label, p in zip(self.labels, self.probabilities)
                         if label.partition(":")[0] == intent))


class SegmentStream:
    """Segments and embeddings of one audio stream, fed together in the same order as in training."""

    def __init__(self, segmenter_settings: SegmenterSettings | None = None, embeddings: EmbeddingStream | None = None):
        self.embeddings = embeddings or EmbeddingStream()
        self.segmenter = Segmenter(segmenter_settings)
        self._last_decided_start: float | None = None

    @property
    def position_s(self) -> float:
        return self.segmenter.position_s

    def accept(self, samples: np.ndarray) -> list[Segment]:
        samples = _int16(samples)
        self.embeddings.accept(samples)
        return self.segmenter.accept(samples)

    def flush(self) -> list[Segment]:
        return self.segmenter.flush()

    def reset(self) -> None:
        self.segmenter.reset()

    def window(self, segment: Segment) -> np.ndarray:
        return self.embeddings.window(segment.start_s, segment.at_s)

    def already_decided(self, segment: Segment) -> bool:
        """True for the final look at a segment whose early look was decided."""
        return self._last_decided_start == segment.start_s

    def mark_decided(self, segment: Segment) -> None:
        self._last_decided_start = segment.start_s


def _int16(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples)
    if samples.dtype != np.int16:
        raise RecognizerError(f"audio samples must be int16, got {samples.dtype}",
                              "convert to 16-bit PCM before feeding the recognizer")
    return samples.reshape(-1)


class NeuralRecognizer:
    """Streaming recognizer on the neural command model alone (``--engine neural``)."""

    name = "neural"

    def __init__(self, grammar: Grammar, model: CommandModel | None = None, settings: NeuralSettings | None = None,
                 segmenter_settings: SegmenterSettings | None = None, profile: VoiceProfile | None = None) -> None:
        self.grammar = grammar
        self.model = model or CommandModel.load()
        self.settings = settings or NeuralSettings()
        self.profile = profile.for_model(self.model) if profile is not None else None  # the enrolled person's takes
        self.classes = ClassMap.build(self.model.labels, grammar)
        self.stream = SegmentStream(segmenter_settings)

    def accept(self, samples: np.ndarray) -> list[Heard]:
        return [h for seg in self.stream.accept(samples) if (h := self._judge(seg)) is not None]

    def flush(self) -> list[Heard]:
        return [h for seg in self.stream.flush() if (h := self._judge(seg)) is not None]

    def reset(self) -> None:
        self.stream.reset()

    def judge(self, segment: Segment) -> NeuralJudgment:
        window = self.stream.window(segment)
        probabilities = self.model.probabilities(window) if window.shape[0] else _none_only(self.model)
        closeness: dict[str, float] = {}
        if self.profile is not None and window.shape[0]:
            probabilities, closeness = self.profile.judge(pool(window), probabilities)
        return NeuralJudgment(probabilities, self.model.labels, int(window.shape[0]), closeness)

    def _judge(self, segment: Segment) -> Heard | None:
        if self.stream.already_decided(segment) or segment.speech_s > self.settings.max_command_s:
            return None
        judgment = self.judge(segment)
        label, p = judgment.best()
        found = self.classes.command(label)
        if found is None:
            return None
        text, command = found
        needed = self.settings.min_probability if segment.final else self.settings.early_probability
        if not segment.final and not self.grammar.is_final(text):
            return None
        if p < needed:
            return None
        self.stream.mark_decided(segment)
        return Heard(command=command, at_s=segment.at_s, text=text, confidence=round(p, 3))


def _none_only(model: CommandModel) -> np.ndarray:
    p = np.zeros(len(model.labels), np.float32)
    p[model.none_index] = 1.0
    return p
