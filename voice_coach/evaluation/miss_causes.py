"""Where the fused engine loses a command: per command trial, the first stage that went wrong.

A missed command was either decided as something else, never reached the
verifier (no segment, or one too long to be a command), never had the right
command among its candidates (neither the neural model's first choice nor
PocketSphinx's parse), or had it and the verifier turned it down.  Beside that,
the neural model is asked once more on the utterance's true boundaries (from
the clean signal): when that is no better than on the segmenter's segments,
segmentation is not what loses the command.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from voice_coach.evaluation.corpus import Condition, Trial
from voice_coach.evaluation.scoring import Outcome

CAUSES = ("right", "wrong command", "no segment", "not a candidate", "turned down")
# The true-boundary window: a little before the first speech and after the last, as the training
# examples cut from the true spans (training/dataset.py) and the segmenter's pre-roll do.
TRUE_LEAD_S = 0.15
TRUE_TAIL_S = 0.3


@dataclass(frozen=True)
class Looked:
    """One candidate the engine judged: where its segment was handed out, and its command label."""

    at_s: float
    label: str


def cause(trial: Trial, outcome: Outcome, looked: Iterable[Looked], expected_label: str) -> str:
    """The first stage that lost this command trial (one of ``CAUSES``)."""
    if outcome.correct:
        return "right"
    if outcome.heard:
        return "wrong command"  # something else (or the command twice) was decided
    mine = [x for x in looked if trial.start_s <= x.at_s < trial.window_end_s]
    if not mine:
        return "no segment"
    if all(x.label != expected_label for x in mine):
        return "not a candidate"
    return "turned down"


def true_window(trial: Trial) -> tuple[float, float]:
    """The trial's speech, as the clean signal has it, with the lead and tail the model expects."""
    return max(0.0, trial.start_s - TRUE_LEAD_S), trial.speech_end_s + TRUE_TAIL_S


@dataclass
class CauseCounts:
    """Per listening condition: command trials per cause, and how many of them the neural
    model's first choice gets right on the true boundaries; without and with the profile."""

    before: Counter
    after: Counter
    true_before: Counter
    true_after: Counter

    @classmethod
    def empty(cls) -> "CauseCounts":
        return cls(Counter(), Counter(), Counter(), Counter())

    def add(self, other: "CauseCounts") -> None:
        for mine, theirs in ((self.before, other.before), (self.after, other.after),
                             (self.true_before, other.true_before), (self.true_after, other.true_after)):
            mine.update(theirs)


def first_choice(probabilities: np.ndarray, labels: tuple[str, ...]) -> str:
    return labels[int(np.argmax(probabilities))]


def table(counts: dict[Condition, CauseCounts]) -> str:
    """Shares of the command trials per condition, without → with the profile."""
    head = "| condition | commands | " + " | ".join(CAUSES) + " | right on true boundaries (neural) |"
    lines = [head, "|" + "---|" * (len(CAUSES) + 3)]
    total = CauseCounts.empty()
    rows = sorted(counts.items(), key=lambda kv: (kv[0].noise != "", -kv[0].snr_db, kv[0].noise))
    for condition, c in rows:
        total.add(c)
        lines.append(_row(condition.label, c))
    if len(rows) > 1:
        lines.append(_row("**all**", total))
    return "\n".join(lines)


def _row(name: str, c: CauseCounts) -> str:
    n = sum(c.before.values())

    def share(before: int, after: int) -> str:
        return f"{100 * before / n:.0f} → {100 * after / n:.0f} %" if n else "–"

    cells = [share(c.before[k], c.after[k]) for k in CAUSES]
    cells.append(share(c.true_before["right"], c.true_after["right"]))
    return f"| {name} | {n} | " + " | ".join(cells) + " |"
