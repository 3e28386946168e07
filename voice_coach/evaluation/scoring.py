"""Turn recognizer output on an evaluation stream into per-trial outcomes and summary numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_coach.evaluation.corpus import Trial
from voice_coach.intents import Command
from voice_coach.recognition.base import Heard


def same_command(a: Command, b: Command) -> bool:
    return a.intent == b.intent and dict(a.slots) == dict(b.slots)


@dataclass(frozen=True)
class Outcome:
    """What happened to one trial."""

    text: str
    is_command: bool
    correct: bool  # command: exactly the expected command; sentence: nothing heard
    heard: tuple[str, ...]  # texts of every decision inside the trial's window
    latency_s: float | None  # decision time minus end of speech (correct commands only)


def score_trials(trials: list[Trial], heard: list[Heard]) -> tuple[list[Outcome], int]:
    """Outcomes per trial, and the number of decisions that fell outside every trial window."""
    outcomes: list[Outcome] = []
    used = 0
    for trial in trials:
        mine = [h for h in heard if trial.start_s <= h.at_s < trial.window_end_s]
        used += len(mine)
        texts = tuple(h.text for h in mine)
        if trial.expected is None:
            outcomes.append(Outcome(trial.text, False, not mine, texts, None))
            continue
        ok = len(mine) == 1 and same_command(mine[0].command, trial.expected)
        latency = mine[0].at_s - trial.speech_end_s if ok else None
        outcomes.append(Outcome(trial.text, True, ok, texts, latency))
    return outcomes, len(heard) - used


def rate(outcomes: list[Outcome]) -> float | None:
    return sum(o.correct for o in outcomes) / len(outcomes) if outcomes else None


def percentile_ms(latencies: list[float], q: float) -> float | None:
    return float(np.percentile(latencies, q)) * 1000 if latencies else None
