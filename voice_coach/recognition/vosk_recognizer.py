"""Streaming command recognition with Vosk in grammar mode.

The recognizer listens only for the grammar's utterances plus ``[unk]``, so
ordinary talk comes out as "[unk] …" and is rejected; a result is also
rejected when any word's confidence is below ``min_confidence``.

Fast decisions: Vosk's own endpointer waits ~0.5–1 s of silence.  Instead,
after every block the partial hypothesis is checked once a short trailing
silence has been measured (``TrailingSilence``):
* a complete command that no longer command extends ("stop", "pain five")
  is finalized after ``short_silence_s``;
* a complete command that could still grow ("next" → "next step") after
  ``extend_silence_s``, time enough for the next word to have begun;
* anything else waits for Vosk's endpoint (or ``flush``).
Finalizing means ``FinalResult()``: Vosk then computes word confidences for
the utterance and restarts decoding on the audio that follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_coach.errors import RecognizerError
from voice_coach.grammar import UNKNOWN_TOKEN, Grammar, normalize_words
from voice_coach.recognition.base import SAMPLE_RATE_HZ, Heard
from voice_coach.recognition.endpoint import TrailingSilence
from voice_coach.recognition.vosk_model import load_vosk_model, supports_grammar

# Vosk's word confidences are lattice posteriors: a word the decoder was sure
# of is ~1.0, a near tie between two phrasings ~0.5.  0.6 rejects the ties.
# Not tuned on the real English model (it cannot be fetched here); adjust with
# ``min_confidence`` after measuring with scripts/eval_recognition.py.
DEFAULT_MIN_CONFIDENCE = 0.6
BLOCK_SAMPLES = 480  # 30 ms, one decoder frame of the usual (subsampled) models


@dataclass(frozen=True)
class VoskTiming:
    """short_silence_s: silence after a command nothing extends before deciding.
    extend_silence_s: silence after a command that a longer one starts with.
    """

    short_silence_s: float = 0.18
    extend_silence_s: float = 0.35


class VoskRecognizer:
    name = "vosk"

    def __init__(self, grammar: Grammar, model_dir: Path, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                 timing: VoskTiming | None = None) -> None:
        import vosk

        self.grammar = grammar
        self.model_dir = Path(model_dir)
        self.min_confidence = min_confidence
        self.timing = timing or VoskTiming()
        model = load_vosk_model(self.model_dir)
        self.phrases, self.missing_words = _usable_phrases(grammar, model)
        if not supports_grammar(self.model_dir):
            # A static-graph model ignores phrase lists; whole-utterance parsing still rejects chatter.
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE_HZ)
        else:
            # Never an empty list: vosk 0.3.45 segfaults on KaldiRecognizer(model, rate, "[]").
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE_HZ, json.dumps(self.phrases))
        self._rec.SetWords(True)
        self._silence = TrailingSilence(min_silence_s=self.timing.short_silence_s)
        self._fed = 0  # samples fed since construction
        self._pending = np.zeros(0, np.int16)

    # ---- Recognizer protocol ------------------------------------------------------
    def accept(self, samples: np.ndarray) -> list[Heard]:
        samples = np.asarray(samples, dtype=np.int16).reshape(-1)
        if self._pending.size:
            samples = np.concatenate([self._pending, samples])
        heard: list[Heard] = []
        usable = samples.size - samples.size % BLOCK_SAMPLES
        for start in range(0, usable, BLOCK_SAMPLES):
            heard += self._block(samples[start : start + BLOCK_SAMPLES])
        self._pending = samples[usable:].copy()
        return heard

    def flush(self) -> list[Heard]:
        if self._pending.size:
            self._rec.AcceptWaveform(self._pending.tobytes())
            self._fed += self._pending.size
            self._pending = np.zeros(0, np.int16)
        return self._finish(self._rec.FinalResult())

    def reset(self) -> None:
        self._fed += self._pending.size  # dropped audio still moves the clock
        self._pending = np.zeros(0, np.int16)
        # Not Reset(): that keeps the frames buffered in Vosk's feature pipeline, so
        # half a word from before the reset could still be decoded.  FinalResult()
        # discards the whole pipeline.
        self._rec.FinalResult()
        self._silence.reset()

    # ---- internals ----------------------------------------------------------------
    @property
    def position_s(self) -> float:
        return self._fed / SAMPLE_RATE_HZ

    def _block(self, block: np.ndarray) -> list[Heard]:
        self._fed += block.size
        endpoint = self._rec.AcceptWaveform(block.tobytes())
        self._silence.update(block)
        if endpoint:
            return self._finish(self._rec.Result())
        if not self._silence.is_silent():
            return []
        words = normalize_words(json.loads(self._rec.PartialResult()).get("partial", ""))
        if not words or self.grammar.parse_words(words) is None:
            return []
        if self.grammar.can_extend(words) and self._silence.silence_s < self.timing.extend_silence_s - 1e-9:
            return []
        return self._finish(self._rec.FinalResult())

    def _finish(self, result_json: str) -> list[Heard]:
        """Judge one finished utterance; the decoder has already moved on."""
        self._silence.reset()
        result = json.loads(result_json)
        text = result.get("text", "")
        confidences = [float(w.get("conf", 1.0)) for w in result.get("result", [])]
        if not text or UNKNOWN_TOKEN in text.split():
            return []
        if confidences and min(confidences) < self.min_confidence:
            return []
        command = self.grammar.parse(text)
        if command is None:
            return []
        return [Heard(command, round(self.position_s, 3), command.text, min(confidences, default=None))]


def _usable_phrases(grammar: Grammar, model) -> tuple[list[str], frozenset[str]]:
    """The grammar's phrase list minus phrases with words the model does not know.

    Vosk would silently drop an unknown word and keep the rest of the phrase
    ("start plantar" for "start plantar fasciitis"), which is worse than
    leaving the phrase out.
    """
    missing = frozenset(w for w in grammar.words() | {UNKNOWN_TOKEN} if model.vosk_model_find_word(w) < 0)
    unknown_wake = missing.intersection(grammar.wake_word.split())
    if unknown_wake:
        raise RecognizerError(f"the Vosk model does not know the wake word {grammar.wake_word!r}",
                              "choose a common English word as the wake word, e.g. coach")
    phrases = [p for p in grammar.vosk_grammar() if not missing.intersection(p.split())]
    if not [p for p in phrases if p != UNKNOWN_TOKEN]:
        raise RecognizerError("the Vosk model knows none of the command words",
                              "use an English Vosk model such as vosk-model-small-en-us-0.15")
    return phrases, missing
