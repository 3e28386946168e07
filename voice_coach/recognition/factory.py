"""Choosing and building the recognizer.

``auto``: Vosk when a model is found; otherwise the fused engine (PocketSphinx +
the neural command model behind one verifier); PocketSphinx alone in wake-word
mode, since only the grammar engine knows the wake word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from voice_coach.config import Settings
from voice_coach.errors import ConfigError, RecognizerError
from voice_coach.grammar import Grammar
from voice_coach.recognition.base import Recognizer
from voice_coach.recognition.vosk_model import find_vosk_model
from voice_coach.routines.model import Routine

ENGINES = ("auto", "fused", "neural", "sphinx", "vosk")
_DESCRIPTIONS = {
    "fused": "PocketSphinx + neural command model, fused by a verifier",
    "neural": "neural command model (openWakeWord embeddings)",
    "sphinx": "PocketSphinx, built-in English model",
}


@dataclass(frozen=True)
class EngineChoice:
    """engine: "vosk", "fused", "neural" or "sphinx"; model: the Vosk model folder (None otherwise)."""

    engine: str
    model: Path | None
    reason: str

    def describe(self) -> str:
        if self.engine == "vosk":
            return f"Vosk, model {self.model} ({self.reason})"
        return f"{_DESCRIPTIONS[self.engine]} ({self.reason})"


def choose_engine(settings: Settings, engine: str | None = None, model_dir: str | Path | None = None) -> EngineChoice:
    """Which engine and model would be used; loads nothing (used by ``voice-coach check``)."""
    engine = engine or settings.recognizer.engine or "auto"
    if engine not in ENGINES:
        raise ConfigError(f"unknown recognizer engine {engine!r}", f"use one of: {', '.join(ENGINES)}")
    wake = settings.recognizer.wake_word
    if engine in ("fused", "neural") and wake:
        raise ConfigError(f"engine {engine} does not support a wake word (wake_word = {wake!r})",
                          "use --engine sphinx (or auto) with a wake word, or turn the wake word off")
    if engine in ("sphinx", "fused", "neural"):
        return EngineChoice(engine, None, f"chosen with engine = {engine}")
    model = find_vosk_model(settings, model_dir)
    if model is not None:
        return EngineChoice("vosk", model, "model found" if engine == "auto" else "chosen with engine = vosk")
    if engine == "vosk":
        raise RecognizerError("engine vosk was chosen but no Vosk model was found "
                              "(looked at --model, $VOICE_COACH_MODEL and models/)",
                              "run `voice-coach download-model`, pass --model DIR, or use --engine fused")
    if wake:
        return EngineChoice("sphinx", None, "no Vosk model found; wake-word mode needs the grammar engine")
    return EngineChoice("fused", None, "no Vosk model found; the default")


def describe_engine(settings: Settings, engine: str | None = None, model_dir: str | Path | None = None) -> str:
    """One line saying which engine and model would run, or what is wrong."""
    try:
        return choose_engine(settings, engine, model_dir).describe()
    except (ConfigError, RecognizerError) as exc:
        return f"no usable recognizer: {exc}"


def make_recognizer(settings: Settings, routines: Iterable[Routine], engine: str | None = None,
                    model_dir: str | Path | None = None, *, grammar: Grammar | None = None,
                    profile=None) -> Recognizer:
    """The recognizer for these routines (engine None = ``settings.recognizer.engine``).

    profile: a VoiceProfile for the neural and fused engines; None = ``settings.recognizer.user``'s
    profile when a user is set (ConfigError when it does not exist).
    """
    choice = choose_engine(settings, engine, model_dir)
    if profile is None and settings.recognizer.user:
        from voice_coach.enrollment.active import PROFILE_ENGINES, active_profile

        if choice.engine in PROFILE_ENGINES:
            profile = active_profile(settings)
    grammar = grammar or Grammar.build(routines, settings.recognizer.wake_word)
    if choice.engine == "vosk":
        from voice_coach.recognition.vosk_recognizer import VoskRecognizer

        return VoskRecognizer(grammar, choice.model)
    try:
        if choice.engine == "neural":
            from voice_coach.recognition.neural.recognizer import NeuralRecognizer

            return NeuralRecognizer(grammar, profile=profile)
        if choice.engine == "fused":
            from voice_coach.recognition.fused import FusedRecognizer

            return FusedRecognizer(grammar, profile=profile)
        from voice_coach.recognition.sphinx_recognizer import SphinxRecognizer
    except ImportError as exc:
        raise RecognizerError(f"the {choice.engine} recognizer is not available ({exc})",
                              "reinstall voice-coach (pip install -e .), or use a Vosk model with --model DIR") from None
    return SphinxRecognizer(grammar)
