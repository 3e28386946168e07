"""Fit the verifier the fused engine uses with a voice profile: ``scripts/fit_verifier.py --profile``.

The general verifier was fitted without profiles, so it cannot weigh what a
profile adds: refitted probabilities that mean more, and how close a segment is
to the person's own takes.  Here every tuning voice enrolls as in the enrollment
evaluation, and its test streams (other phrasings, other tempos, the tuning
sentences, every tuning room) are heard by the fused engine with its profile and
a verifier that decides nothing, logging every candidate with
``PROFILE_FEATURES``; each is labelled right or wrong from its trial.  Logistic
regression on them is too weak (the closeness counts only together with what
the engines say), so boosted shallow trees are fitted (``boosted``) and
exported to plain JSON.  Their thresholds are chosen on leave-one-voice-out
probabilities (each voice judged by a fit that never saw it, as a new person
would be): the most commands right while no tuning voice's sentences raise more
false commands than the engine without a profile raises on that voice's streams
(a budget for all voices together let one voice's false commands rise while the
others' fell, and so it went on a held-out voice), with a bar of their own for
early looks.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from voice_coach.evaluation import corpus
from voice_coach.evaluation import enrollment as ev
from voice_coach.recognition.verifier import PROFILE_FEATURES, Tree, Verifier, builtin_verifier_path
from voice_coach.recognition.neural.model import CommandModel
from voice_coach.recognition.neural.refit import RefitSettings
from voice_coach.training.model_card import (PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END, profile_verifier_section,
                                             put_section)
from voice_coach.training.verifier_fit import DEFAULT_CACHE, THRESHOLDS, Looks, Row, labelled_rows

DECIDE_NOTHING = Verifier(tuple(0.0 for _ in PROFILE_FEATURES), -40.0, 2.0, 2.0, {}, PROFILE_FEATURES)
# An early look's own bar (None: the same as at the final look); early decisions are the ones
# sentences starting with a command word ("wait until the kettle boils") fool.
EARLY_THRESHOLDS = (None, *(t for t in THRESHOLDS if t >= 0.7))


def stream_rows(job: ev.StreamJob) -> tuple[str, list[Row], int, int, int]:
    """One (voice, room) job's candidates heard with the voice's profile: (voice, rows, command
    trials, sentence trials, sentences the engine without a profile turned into a command)."""
    g = ev.grammar()
    model = CommandModel.load(Path(job.model_path) if job.model_path else None)
    (adapter,) = ev.adapters(ev.job_profile(job), model, (RefitSettings(),))
    rows: list[Row] = []
    commands = sentences = false_before = 0
    for part, (audio, trials, outputs, verdicts, before, _) in enumerate(ev.prepared_streams(job, g, model)):
        stream = corpus.stable_seed(job.voice.label, job.condition.label, part)
        log: list = []
        ev.hear(g, model, audio, ev.Replay(outputs), adapter, "fused", verdicts,
                verifier=DECIDE_NOTHING, profile_verifier=DECIDE_NOTHING, candidate_log=log)
        # the engine never decides a candidate something could extend at the early look
        decidable = [entry for entry in log if entry[0].final or g.is_final(entry[1].text)]
        rows += labelled_rows(stream, decidable, trials, PROFILE_FEATURES)
        commands += sum(1 for t in trials if t.expected is not None)
        sentences += sum(1 for t in trials if t.expected is None)
        false_before += sum(1 for o in before if not o.is_command and not o.correct)
    return job.voice.label, rows, commands, sentences, false_before


def boosted(x: np.ndarray, y: np.ndarray):
    """The profile verifier's model: boosted shallow trees (the takes' closeness counts only together
    with what the engines say; chosen over logistic regression on the tuning voices' left-out
    probabilities: 712 against 514 commands right at the same false commands, one bar for both looks)."""
    from sklearn.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(max_depth=3, n_estimators=100, learning_rate=0.1, random_state=0).fit(x, y)


def exported(model) -> tuple[float, tuple[Tree, ...]]:
    """A fitted GradientBoostingClassifier as (log-odds bias, trees) for ``Verifier``."""
    prior = float(model.init_.class_prior_[1])
    trees = []
    for (estimator,) in model.estimators_:
        t = estimator.tree_
        leaf = t.children_left < 0
        trees.append(Tree(tuple(-1 if is_leaf else int(f) for f, is_leaf in zip(t.feature, leaf)),
                          tuple(0.0 if is_leaf else float(v) for v, is_leaf in zip(t.threshold, leaf)),
                          tuple(int(v) for v in t.children_left), tuple(int(v) for v in t.children_right),
                          tuple(float(v) * model.learning_rate for v in t.value[:, 0, 0])))
    return math.log(prior / (1.0 - prior)), tuple(trees)


def held_out_probabilities(x: np.ndarray, y: np.ndarray, groups: np.ndarray, fit=boosted) -> np.ndarray:
    """Each row's probability from a fit on the other groups (voices) only."""
    p = np.zeros(len(y))
    for group in np.unique(groups):
        mine = groups == group
        p[mine] = fit(x[~mine], y[~mine]).predict_proba(x[mine])[:, 1]
    return p


def thresholds(rows: list[Row], p: np.ndarray, max_false: int, groups: np.ndarray | None = None,
               max_false_per_group: dict | None = None) -> tuple[float, float, float | None, int, int]:
    """(threshold, stop threshold, early threshold, commands right, false commands): the most
    commands right with at most ``max_false`` false commands, and at most
    ``max_false_per_group[g]`` among the rows of each group g (``groups[i]``: row i's, a voice);
    0.99 for both and no early threshold of its own when no setting keeps within them."""
    looks = Looks(rows, p)
    per_group = []
    for g, budget in (max_false_per_group or {}).items():
        mine = groups == g
        per_group.append((Looks([r for r, keep in zip(rows, mine) if keep], p[mine]), budget))

    def within(t: float, stop: float, early: float | None) -> bool:
        return all(group.count(t, stop, early)[1] <= budget for group, budget in per_group)

    best = (0.99, 0.99, None, *looks.count(0.99, 0.99)[:2])
    for t in THRESHOLDS:
        for stop in (s for s in THRESHOLDS if s <= t):
            for early in EARLY_THRESHOLDS:
                right, false, _ = looks.count(t, stop, early)
                if false <= max_false and right > best[3] and within(t, stop, early):
                    best = (t, stop, early, right, false)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fit_verifier --profile",
                                     description="Fit the verifier the fused engine uses with a voice profile, "
                                                 "on the enrolled tuning voices only.")
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", default="", help="command model file (default: the shipped one)")
    parser.add_argument("--out", type=Path, default=builtin_verifier_path(profile=True),
                        help="where to write it (default: the shipped verifier_profile.json; its model card "
                             "paragraph is updated when MODEL_CARD.md is beside it)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="synthesis, embedding and decode cache (shared with scripts/eval_recognition.py)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--sentences", type=int, default=ev.TUNE_SENTENCES, help="tuning sentences per stream")
    parser.add_argument("--quick", action="store_true", help="two voices, two rooms, few sentences (for a test)")
    args = parser.parse_args(argv)
    from tqdm import tqdm

    voices = corpus.TUNING_VOICES[:2] if args.quick else corpus.TUNING_VOICES
    conditions = ev.TUNING_CONDITIONS[:2] if args.quick else ev.TUNING_CONDITIONS
    sentences = 4 if args.quick else args.sentences
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        profiles = list(tqdm(pool.map(ev.enroll_job, [(v, str(args.cache)) for v in voices]), total=len(voices),
                             desc="voices enrolled", file=sys.stderr))
        jobs = [ev.StreamJob(v, k, c, sentences, str(args.cache), args.model, p.vectors, p.labels, p.take_ids,
                             (ev.shipped(),), "tuning", "fused")
                for k, (v, p) in enumerate(zip(voices, profiles)) for c in conditions]
        results = list(tqdm(pool.map(stream_rows, jobs), total=len(jobs), desc="tuning streams", file=sys.stderr))
    rows = [row for _, got, *_ in results for row in got]
    groups = np.array([voice for voice, got, *_ in results for _ in got])
    n_commands, n_sentences, false_before = (sum(r[k] for r in results) for k in (2, 3, 4))
    x = np.array([r.features for r in rows])
    y = np.array([r.right for r in rows])
    if len(set(y.tolist())) < 2 or len(set(groups.tolist())) < 2:
        raise SystemExit("fit_verifier --profile: the tuning streams gave too few right and wrong candidates to fit")
    false_before_per_voice = {v.label: sum(r[4] for r in results if r[0] == v.label) for v in voices}
    threshold, stop, early, right, false = thresholds(rows, held_out_probabilities(x, y, groups), false_before,
                                                      groups, false_before_per_voice)
    model = boosted(x, y)
    bias, trees = exported(model)
    importance = sorted(zip(model.feature_importances_, PROFILE_FEATURES), reverse=True)
    print(f"{len(rows)} candidates, {int(y.sum())} right; feature importance: "
          + ", ".join(f"{name} {w:.2f}" for w, name in importance), file=sys.stderr)
    meta = {"tuning_streams": 2 * len(jobs), "candidates": len(rows), "command_trials": n_commands,
            "sentence_trials": n_sentences, "voices": [v.label for v in voices],
            "conditions": [c.label for c in conditions], "model": "100 boosted trees of depth 3 (seed 0)",
            "false_without_profile": false_before, "false_without_profile_per_voice": false_before_per_voice,
            "left_out_voice_right": round(right / max(1, n_commands), 4),
            "left_out_voice_false": false, "minutes": round((time.monotonic() - started) / 60, 1)}
    verifier = Verifier((), bias, threshold, stop, meta, PROFILE_FEATURES, trees, early)
    mine = np.array([verifier.probability(dict(zip(PROFILE_FEATURES, row))) for row in x[:200]])
    if not np.allclose(mine, model.predict_proba(x[:200])[:, 1], atol=1e-6):
        raise SystemExit("fit_verifier --profile: the exported trees do not reproduce the fitted model")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    verifier.save(args.out)
    card = args.out.parent / "MODEL_CARD.md"
    if card.exists():
        put_section(card, PROFILE_VERIFIER_BEGIN, PROFILE_VERIFIER_END, profile_verifier_section(args.out, meta))
    print(json.dumps({"out": str(args.out), "threshold": threshold, "stop_threshold": stop,
                      "early_threshold": early, **meta}))
    return 0
