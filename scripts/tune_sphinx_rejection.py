#!/usr/bin/env python3
"""Fit the PocketSphinx rejection policy on the TUNING split's rejection cues.

    .venv/bin/python scripts/eval_recognition.py --split tuning --no-reject --features /tmp/cues.jsonl
    .venv/bin/python scripts/tune_sphinx_rejection.py /tmp/cues.jsonl [--max-false 0.005]

Every complete grammar result the recognizer produced is one example:
positive when it is the command that was said, negative otherwise (chatter
forced onto a command, or with --sentences-only only chatter).  Two models are
fitted and their trade-off printed: a logistic regression over
``Evidence.features()`` (measured, not used: the cues are not linearly
separable enough) and per-cue limits ("box", greedy tightening until at most
``--max-false`` of the negatives pass), which is what ``RejectionPolicy`` uses.
Held-out rows, if present, are only reported, never fitted.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 50) -> np.ndarray:
    """Weights (bias last) by Newton's method; small L2 keeps separable data finite."""
    xb = np.hstack([x, np.ones((x.shape[0], 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -60, 60)))
        grad = xb.T @ (p - y) + l2 * w
        hess = xb.T @ (xb * (p * (1 - p))[:, None]) + l2 * np.eye(xb.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w


# Direction of each cue: +1 means "larger looks more like a real command".
from voice_coach.recognition.sphinx_rejection import DIRECTIONS  # noqa: E402  (one source of truth)


def fit_box(x: np.ndarray, y: np.ndarray, names: list[str], max_false: float) -> dict[str, float]:
    """Greedy per-cue limits: start loose (keep 99.5 % of positives per cue), then
    repeatedly tighten the one limit that removes the most negatives per positive
    lost, until at most ``max_false`` of the negatives pass."""
    signs = np.array([DIRECTIONS[n] for n in names], dtype=float)
    v = x * signs  # now larger is always better; accept when v >= limit
    pos, neg = v[y == 1], v[y == 0]
    limits = np.quantile(pos, 0.005, axis=0)
    def passing(vals: np.ndarray, lim: np.ndarray) -> np.ndarray:
        return np.all(vals >= lim, axis=1)
    while passing(neg, limits).mean() > max_false:
        best = None
        for j in range(len(names)):
            cur_neg = neg[passing(neg, limits)][:, j]
            candidates = np.unique(cur_neg[cur_neg >= limits[j]])
            for c in candidates[:12]:
                trial = limits.copy()
                trial[j] = c + 1e-9
                removed = passing(neg, limits).sum() - passing(neg, trial).sum()
                lost = passing(pos, limits).sum() - passing(pos, trial).sum()
                score = removed / (lost + 0.5)
                if removed > 0 and (best is None or score > best[0]):
                    best = (score, j, c + 1e-9)
        if best is None:
            break
        limits[best[1]] = best[2]
    return {n: float(l * sgn) for n, l, sgn in zip(names, limits, signs)}


def box_accepts(x: np.ndarray, names: list[str], limits: dict[str, float]) -> np.ndarray:
    ok = np.ones(len(x), dtype=bool)
    for j, n in enumerate(names):
        ok &= (x[:, j] >= limits[n]) if DIRECTIONS[n] > 0 else (x[:, j] <= limits[n])
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cues", help="JSON lines from eval_recognition.py --features")
    parser.add_argument("--max-false", type=float, default=0.005,
                        help="largest share of negatives the threshold may accept (tuning split)")
    parser.add_argument("--features", default="", help="comma-separated subset of features to use")
    parser.add_argument("--sentences-only", action="store_true",
                        help="negatives = chatter only (not wrong commands on command trials)")
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.cues)]
    if args.sentences_only:
        from voice_coach.evaluation.sentences import HELD_OUT_SENTENCES, TUNING_SENTENCES

        chatter = set(TUNING_SENTENCES) | set(HELD_OUT_SENTENCES)
        rows = [r for r in rows if r["positive"] or r["said"] in chatter]
    names = args.features.split(",") if args.features else sorted(rows[0]["features"])
    data = {}
    for split in ("tuning", "held-out"):
        part = [r for r in rows if r["split"] == split]
        if part:
            data[split] = (np.array([[r["features"][n] for n in names] for r in part]),
                           np.array([1.0 if r["positive"] else 0.0 for r in part]))
    if "tuning" not in data:
        print("no tuning rows", file=sys.stderr)
        return 2
    x, y = data["tuning"]
    w = fit_logistic(x, y)
    z = np.hstack([x, np.ones((len(x), 1))]) @ w
    negatives = np.sort(z[y == 0])
    # Smallest threshold leaving at most max_false of the negatives above it.
    k = int(np.floor(args.max_false * len(negatives)))
    cut = negatives[len(negatives) - k - 1] + 1e-6 if len(negatives) else 0.0
    threshold = float(1 / (1 + np.exp(-cut)))
    for split, (xs, ys) in data.items():
        zs = np.hstack([xs, np.ones((len(xs), 1))]) @ w
        acc = zs >= cut
        print(f"{split}: {int(ys.sum())} positives, {int((1 - ys).sum())} negatives; "
              f"accepts {acc[ys == 1].mean():.3f} of positives, {acc[ys == 0].mean():.4f} of negatives")
    weights = ", ".join(f'("{n}", {v:.4f})' for n, v in zip(names, w[:-1]))
    print(f"logistic: RejectionPolicy(weights=({weights},), bias={w[-1]:.4f}, threshold={threshold:.6f})")
    box_names = [n for n in names if n in DIRECTIONS]
    cols = [names.index(n) for n in box_names]
    limits = fit_box(x[:, cols], y, box_names, args.max_false)
    for split, (xs, ys) in data.items():
        acc = box_accepts(xs[:, cols], box_names, limits)
        print(f"box {split}: accepts {acc[ys == 1].mean():.3f} of positives, {acc[ys == 0].mean():.4f} of negatives")
    print("box limits:", {n: round(v, 4) for n, v in limits.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
