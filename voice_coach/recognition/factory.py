"""Choosing and building the recognizer: Vosk when a model is found, else PocketSphinx."""

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

ENGINES = ("auto", "vosk", "sphinx")


@dataclass(frozen=True)
class EngineChoice:
    """engine: "vosk" or "sphinx"; model: the Vosk model folder (None for sphinx)."""

    engine: str
    model: Path | None
    reason: str

    def describe(self) -> str:
        if self.engine == "vosk":
            return f"Vosk, model {self.model} ({self.reason})"
        return f"PocketSphinx, built-in English model ({self.reason})"


def choose_engine(settings: Settings, engine: str | None = None, model_dir: str | Path | None = None) -> EngineChoice:
    """Which engine and model would be used; loads nothing (used by ``voice-coach check``)."""
    engine = engine or settings.recognizer.engine or "auto"
    if engine not in ENGINES:
        raise ConfigError(f"unknown recognizer engine {engine!r}", f"use one of: {', '.join(ENGINES)}")
    if engine == "sphinx":
        return EngineChoice("sphinx", None, "chosen with engine = sphinx")
    model = find_vosk_model(settings, model_dir)
    if model is not None:
        return EngineChoice("vosk", model, "model found" if engine == "auto" else "chosen with engine = vosk")
    if engine == "vosk":
        raise RecognizerError("engine vosk was chosen but no Vosk model was found "
                              "(looked at --model, $VOICE_COACH_MODEL and models/)",
                              "run `voice-coach download-model`, pass --model DIR, or use --engine sphinx")
    return EngineChoice("sphinx", None, "no Vosk model found; the default")


def describe_engine(settings: Settings, engine: str | None = None, model_dir: str | Path | None = None) -> str:
    """One line saying which engine and model would run, or what is wrong."""
    try:
        return choose_engine(settings, engine, model_dir).describe()
    except (ConfigError, RecognizerError) as exc:
        return f"no usable recognizer: {exc}"


def make_recognizer(settings: Settings, routines: Iterable[Routine], engine: str | None = None,
                    model_dir: str | Path | None = None, *, grammar: Grammar | None = None) -> Recognizer:
    """The recognizer for these routines (engine None = ``settings.recognizer.engine``)."""
    choice = choose_engine(settings, engine, model_dir)
    grammar = grammar or Grammar.build(routines, settings.recognizer.wake_word)
    if choice.engine == "vosk":
        from voice_coach.recognition.vosk_recognizer import VoskRecognizer

        return VoskRecognizer(grammar, choice.model)
    try:
        from voice_coach.recognition.sphinx_recognizer import SphinxRecognizer
    except ImportError as exc:
        raise RecognizerError(f"the PocketSphinx recognizer is not available ({exc})",
                              "reinstall voice-coach (pip install -e .), or use a Vosk model with --model DIR") from None
    return SphinxRecognizer(grammar)
