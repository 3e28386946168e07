"""The voice-profile bank (``recognition/neural/data/profile_bank.npz``): training examples in
the command model's hidden layer, which keep a refitted last layer honest (``neural.refit``).

Built from the first shards of the command model's own training data (same items, seed and
augmentation as ``train.py``; shards are cached, so a rebuild after training is quick), then a
seeded sample: ordinary speech of every kind ("none") and other voices' commands.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.model import NONE_LABEL, CommandModel, sha256_of
from voice_coach.recognition.neural.refit import ProfileBank, builtin_bank_path, fingerprint, hidden_layer
from voice_coach.routines.loader import load_library
from voice_coach.training import dataset
from voice_coach.training.model_card import bank_section, put_bank_section
from voice_coach.training.train import DEFAULT_CACHE, build_items, collect


def sample_bank(model: CommandModel, pooled: np.ndarray, labels: list[str], seed: int, none_rows: int,
                command_rows: int) -> ProfileBank:
    """``none_rows`` "none" examples and ``command_rows`` command examples, drawn without replacement."""
    rng = np.random.default_rng(seed)
    none = np.array([k for k, label in enumerate(labels) if label == NONE_LABEL], int)
    commands = np.array([k for k, label in enumerate(labels) if label != NONE_LABEL], int)
    pick = np.concatenate([rng.choice(none, min(none_rows, none.size), replace=False),
                           rng.choice(commands, min(command_rows, commands.size), replace=False)])
    return ProfileBank(hidden_layer(model, pooled[pick]), tuple(labels[k] for k in pick), fingerprint(model))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_profile_bank", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None, help="command model file (default: the shipped one)")
    parser.add_argument("--out", type=Path, default=builtin_bank_path(), help="bank file to write")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="synthesis and shard cache folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--seed", type=int, default=7, help="the training run's seed (same items and shards)")
    parser.add_argument("--espeak-voices", type=int, default=44, help="as in training")
    parser.add_argument("--shards", type=int, default=120, help="training shards to draw from")
    parser.add_argument("--none-rows", type=int, default=4000)
    parser.add_argument("--command-rows", type=int, default=1500)
    args = parser.parse_args(argv)
    started = time.monotonic()
    model = CommandModel.load(args.model)
    items = build_items(Grammar.build(load_library().all()), args.espeak_voices, 0, args.seed)
    shards = dataset.make_shards(items, args.seed)[: args.shards]
    print(f"{len(shards)} training shards; cache {args.cache}", file=sys.stderr)
    results = collect(shards, args.cache, args.jobs)
    pooled = np.concatenate([r.pooled() for r in results if r.windows])
    labels = [label for r in results for label in r.labels]
    bank = sample_bank(model, pooled, labels, args.seed, args.none_rows, args.command_rows)
    bank.save(args.out)
    none = sum(1 for label in bank.labels if label == NONE_LABEL)
    card = args.out.parent / "MODEL_CARD.md"
    if card.exists():
        put_bank_section(card, bank_section(args.out, none, len(bank.labels) - none, len(labels), len(shards), args.seed))
    print(f"{args.out}: {none} none + {len(bank.labels) - none} command rows of {len(labels)} examples, "
          f"{args.out.stat().st_size / 1e6:.2f} MB, sha256 {sha256_of(args.out)}, "
          f"{(time.monotonic() - started) / 60:.1f} min", flush=True)
    return 0
