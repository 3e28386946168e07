"""Fit the fusion verifier on the tuning split: ``scripts/fit_verifier.py``.

The fused engine runs over tuning streams (tuning voices, tuning sentences,
several rooms) with a verifier that decides nothing, logging every candidate
with its features; each candidate is labelled right or wrong from the trial
it falls in.  A logistic regression is fitted on those, then the decision
thresholds are chosen by replaying the engine's decision rule: the general
threshold keeps false commands on tuning sentences at or below
``max_false`` while keeping as many commands right as possible; "stop" gets
its own, lower threshold (a wrong stop only pauses) within a looser budget.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_coach.evaluation import corpus
from voice_coach.evaluation.code_digest import recognition_code_digest
from voice_coach.evaluation.corpus import Condition, Trial
from voice_coach.grammar import Grammar
from voice_coach.intents import Command
from voice_coach.recognition.fused import FusedRecognizer
from voice_coach.recognition.verifier import FEATURES, Verifier, builtin_verifier_path
from voice_coach.recognition.neural.model import CommandModel
from voice_coach.routines.loader import load_library

FIT_CONDITIONS = (Condition(), Condition("white", 10), Condition("babble", 10), Condition("pink", 5),
                  Condition("room", 15), Condition("babble", 5))
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))) / "voice-coach-eval"
_DECIDE_NOTHING = Verifier(tuple(0.0 for _ in FEATURES), -40.0, 2.0, 2.0, {})
# The decision thresholds both verifier fits search, highest first: among equally good ones the
# search keeps the most cautious.
THRESHOLDS = tuple(round(t, 3) for t in np.linspace(0.99, 0.05, 95))


@dataclass(frozen=True)
class Row:
    stream: int
    look: tuple[float, bool]  # (segment start, final): one decision point
    trial: int  # index of the trial the look falls in, -1 for none
    is_command_trial: bool
    right: bool
    is_stop: bool
    early: bool
    features: tuple[float, ...]


def same(a: Command, b: Command | None) -> bool:
    return b is not None and a.intent == b.intent and dict(a.slots) == dict(b.slots)


def trial_at(trials: list[Trial], at_s: float) -> int:
    for index, trial in enumerate(trials):
        if trial.start_s <= at_s < trial.window_end_s:
            return index
    return -1


def stream_rows(args: tuple[int, int, int, Condition, str, str, int]) -> tuple[list[Row], int, int]:
    """One tuning stream's candidates, cached on disk by the stream, the model and the engine code."""
    import hashlib
    import pickle

    from voice_coach.recognition.neural.model import builtin_model_path, sha256_of

    stream, voice_index, sentence_offset, condition, cache, model_path, sentences = args
    model_sha = sha256_of(Path(model_path) if model_path else builtin_model_path())
    key = hashlib.sha256(repr((stream, voice_index, sentence_offset, condition, model_sha, sentences,
                               _code_version())).encode()).hexdigest()[:24]
    path = Path(cache) / "verifier-rows" / f"{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    result = _stream_rows(stream, voice_index, sentence_offset, condition, cache, model_path, sentences)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(result))
    return result


def _code_version() -> str:
    """Hash of the engine code the candidates depend on (a change invalidates cached rows)."""
    return recognition_code_digest("fused.py", "segmenter.py", "sphinx_recognizer.py", "sphinx_rejection.py",
                                   "neural/recognizer.py", "neural/features.py", "neural/model.py")


def _stream_rows(stream, voice_index, sentence_offset, condition, cache, model_path, sentences):
    grammar = Grammar.build(load_library().all())
    voice = corpus.TUNING_VOICES[voice_index]
    items = [(t, c) for t, c in corpus.select_commands(grammar, voice_index, 2, 6, seed="fit")]
    pool = corpus.sentences_for("tuning")
    items += [(pool[(sentence_offset + k) % len(pool)], None) for k in range(sentences)]
    random.Random(f"fit/{stream}").shuffle(items)
    audio, trials = corpus.build_stream(items, voice, condition, "tuning", 1000 + stream, Path(cache))
    log: list = []
    model = CommandModel.load(Path(model_path)) if model_path else None
    recognizer = FusedRecognizer(grammar, model=model, verifier=_DECIDE_NOTHING, candidate_log=log)
    for start in range(0, audio.size, 480):
        recognizer.accept(audio[start : start + 480])
    recognizer.flush()
    rows = labelled_rows(stream, log, trials, FEATURES)
    n_commands = sum(1 for t in trials if t.expected is not None)
    return rows, n_commands, len(trials) - n_commands


def labelled_rows(stream: int, log: list, trials: list[Trial], names: tuple[str, ...]) -> list[Row]:
    """The logged (segment, candidate, …) entries of one stream as rows, labelled right or wrong
    from the trial each falls in; ``names``: the features kept, in order."""
    rows = []
    for segment, candidate, *_ in log:
        index = trial_at(trials, segment.at_s)
        expected = trials[index].expected if index >= 0 else None
        rows.append(Row(stream, (segment.start_s, segment.final), index, expected is not None,
                        same(candidate.command, expected), candidate.features["is_stop"] > 0.5,
                        not segment.final, tuple(candidate.features[name] for name in names)))
    return rows


class Looks:
    """The engine's decision points of logged rows under one set of probabilities, ready to be
    replayed under many thresholds (the profile fit tries tens of thousands)."""

    def __init__(self, rows: list[Row], probabilities: np.ndarray) -> None:
        best: dict[tuple[int, tuple[float, bool]], tuple[float, Row]] = {}
        for row, p in zip(rows, probabilities):
            key = (row.stream, row.look)
            if key not in best or p > best[key][0]:
                best[key] = (p, row)
        segments = sorted({(stream, start) for stream, (start, _) in best})
        trials = sorted({(row.stream, row.trial) for _, row in best.values()})
        self._trials = len(trials)
        trial_index = {trial: k for k, trial in enumerate(trials)}
        index = {segment: k for k, segment in enumerate(segments)}
        # Per segment its early look (column 0) and its final look (column 1); p -1 where it had none.
        self.p = np.full((len(segments), 2), -1.0)
        self.stop = np.zeros((len(segments), 2), bool)
        # what deciding the look counts, as kind * trials + trial (kind 0 right command, 1 false
        # command, 2 wrong command, 3 nothing: a look outside every trial)
        self.code = np.full((len(segments), 2), 3 * len(trials), np.int64)
        for (stream, (start, final)), (p, row) in best.items():
            k, col = index[(stream, start)], int(final)
            self.p[k, col], self.stop[k, col] = p, row.is_stop
            kind = (0 if row.right else 2) if row.is_command_trial else (1 if row.trial >= 0 else 3)
            self.code[k, col] = kind * len(trials) + trial_index[(row.stream, row.trial)]

    def count(self, threshold: float, stop_threshold: float, early_threshold: float | None = None):
        """(commands right, sentence trials with a false command, command trials with a wrong command)
        under the engine's decision rule; ``early_threshold``: the bar at early looks, if it has its own."""
        # Verifier.needed over every look at once
        needed = np.where(self.stop, stop_threshold, threshold)
        if early_threshold is not None:
            needed[:, 0] = early_threshold
        passes = self.p >= needed
        # the early look decides first; the final look only where the early one did not
        early = passes[:, 0]
        decided = np.where(early, self.code[:, 0], self.code[:, 1])[early | passes[:, 1]]
        counted = np.bincount(decided, minlength=4 * self._trials)[: 3 * self._trials] > 0
        right, false, wrong = counted.reshape(3, self._trials).sum(axis=1)
        return int(right), int(false), int(wrong)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--profile" in argv:
        from voice_coach.training.profile_verifier_fit import main as fit_profile_verifier

        return fit_profile_verifier(argv)
    parser = argparse.ArgumentParser(prog="fit_verifier", description="Fit the fusion verifier on the tuning split.")
    parser.add_argument("--profile", action="store_true",
                        help="fit instead the verifier used with a voice profile (voice_coach.training.profile_verifier_fit)")
    parser.add_argument("--model", default="", help="command model file (default: the shipped one)")
    parser.add_argument("--out", type=Path, default=builtin_verifier_path())
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sentences", type=int, default=60, help="tuning sentences per stream")
    parser.add_argument("--max-false", type=float, default=0.008, help="false-command budget on tuning sentences")
    parser.add_argument("--max-false-stop", type=float, default=0.004, help="extra budget for false stops")
    parser.add_argument("--quick", action="store_true", help="two voices, two rooms (for a test)")
    args = parser.parse_args(argv)
    from sklearn.linear_model import LogisticRegression
    from tqdm import tqdm

    voices = range(2) if args.quick else range(len(corpus.TUNING_VOICES))
    conditions = FIT_CONDITIONS[:2] if args.quick else FIT_CONDITIONS
    work = []
    for v in voices:
        for c, condition in enumerate(conditions):
            work.append((len(work), v, (v * len(conditions) + c) * args.sentences, condition, str(args.cache),
                         args.model, 10 if args.quick else args.sentences))
    started = time.monotonic()
    rows: list[Row] = []
    n_commands = n_sentences = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        for got, commands, sentences in tqdm(pool.map(stream_rows, work), total=len(work), desc="tuning streams",
                                             file=sys.stderr):
            rows += got
            n_commands += commands
            n_sentences += sentences
    x = np.array([r.features for r in rows])
    y = np.array([r.right for r in rows])
    lr = LogisticRegression(C=1.0, max_iter=2000)
    lr.fit(x, y)
    print(f"{len(rows)} candidates, {int(y.sum())} right; weights: "
          + ", ".join(f"{name} {w:+.2f}" for name, w in zip(FEATURES, lr.coef_[0])), file=sys.stderr)
    p = lr.predict_proba(x)[:, 1]
    looks = Looks(rows, p)
    best_general = None
    for t in THRESHOLDS:
        right, false, _ = looks.count(t, 2.0)
        if false <= args.max_false * n_sentences and (best_general is None or right > best_general[1]):
            best_general = (t, right, false)
    threshold = best_general[0] if best_general else 0.99
    best_stop = (threshold, *looks.count(threshold, threshold)[:2])
    for t in THRESHOLDS:
        if t >= threshold:
            continue
        right, false, _ = looks.count(threshold, t)
        if false <= (args.max_false + args.max_false_stop) * n_sentences and right > best_stop[1]:
            best_stop = (t, right, false)
    right, false, wrong = looks.count(threshold, best_stop[0])
    meta = {"tuning_streams": len(work), "candidates": len(rows), "command_trials": n_commands,
            "sentence_trials": n_sentences, "tuning_right": round(right / max(1, n_commands), 4),
            "tuning_false": round(false / max(1, n_sentences), 4), "tuning_wrong_command": wrong,
            "conditions": [c.label for c in conditions], "minutes": round((time.monotonic() - started) / 60, 1)}
    verifier = Verifier(tuple(float(w) for w in lr.coef_[0]), float(lr.intercept_[0]), threshold, best_stop[0], meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    verifier.save(args.out)
    print(json.dumps({"out": str(args.out), "threshold": threshold, "stop_threshold": best_stop[0], **meta}))
    return 0
