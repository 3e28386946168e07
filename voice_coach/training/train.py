"""Train the neural command model: ``scripts/train_command_model.py`` (see its --help).

Reproducible: fixed seeds, synthesis and shard results cached on disk, the
same voices and texts every run.  Needs the ``train`` extra (scikit-learn, tqdm).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from voice_coach.evaluation.synth import available
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.model import NONE_LABEL, CommandModel, builtin_model_path, sha256_of
from voice_coach.routines.loader import load_library
from voice_coach.training import dataset, negatives
from voice_coach.training.model_card import write_card
from voice_coach.training.voices import training_voices

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache"))) / "voice-coach-train"


def coach_sentences() -> list[str]:
    from voice_coach.live.self_trigger import coach_texts

    return sorted(set(coach_texts(load_library())))


def build_items(grammar: Grammar, espeak_voices: int, subset: int, seed: int) -> list[dataset.Item]:
    voices = training_voices(espeak_count=espeak_voices, seed=seed)
    texts = {
        "sentence": list(negatives.TRAINING_SENTENCES),
        "padded": list(negatives.PADDED_COMMANDS),
        "partial": list(negatives.PARTIAL_COMMANDS),
        "word": list(negatives.SINGLE_WORDS),
        "coach": coach_sentences(),
    }
    per_text = {"sentence": 3, "padded": 4, "partial": 4, "word": 3, "coach": 2}
    if subset:
        voices = [voices[0], voices[-1]]  # one espeak-ng, one mbrola speaker
        texts = {kind: strings[:subset] for kind, strings in texts.items()}
        per_text = {kind: 1 for kind in per_text}
    items = dataset.command_items(grammar, voices) + dataset.negative_items(texts, voices, per_text, seed)
    if subset:
        commands = [i for i in items if i.label != NONE_LABEL]
        keep = {i.label for i in commands}
        items = [i for i in items if i.label == NONE_LABEL] + commands
        assert keep  # every class stays in a subset run
    return items


def _work(args: tuple[dataset.Shard, str, list[str]]) -> dataset.ShardExamples:
    shard, cache, babble = args
    return dataset.cached_shard(shard, Path(cache), babble)


def collect(shards: list[dataset.Shard], cache: Path, jobs: int) -> list[dataset.ShardExamples]:
    from tqdm import tqdm

    babble = list(negatives.TRAINING_SENTENCES)
    work = [(shard, str(cache), babble) for shard in shards]
    # TFLite interpreters hang in forked children: always spawn workers.
    context = multiprocessing.get_context("spawn")
    results = []
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        for result in tqdm(pool.map(_work, work, chunksize=1), total=len(work), desc="shards", unit="shard",
                           file=sys.stderr):
            results.append(result)
    return results


def fit(features: np.ndarray, labels: list[str], seed: int, hidden: int, max_iter: int):
    from sklearn.neural_network import MLPClassifier

    classes = sorted(set(labels))
    y = np.array([classes.index(label) for label in labels])
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-4
    x = (features - mean) / scale
    # "none" outnumbers each command class many times over; weigh every command
    # class as much as it would weigh with an equal share of examples.
    counts = np.bincount(y, minlength=len(classes)).astype(float)
    weights = (len(y) / (len(classes) * counts))[y]
    weights = np.sqrt(weights)  # halfway to balanced: "none" still counts for more
    mlp = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, batch_size=256, learning_rate_init=1e-3,
                        max_iter=max_iter, early_stopping=True, validation_fraction=0.1, n_iter_no_change=6,
                        random_state=seed)
    mlp.fit(x, y, sample_weight=weights)
    labels_in_order = tuple(classes[int(c)] for c in mlp.classes_)
    return CommandModel(labels=labels_in_order, mean=mean.astype(np.float32), scale=scale.astype(np.float32),
                        weights=tuple(w.astype(np.float32) for w in mlp.coefs_),
                        biases=tuple(b.astype(np.float32) for b in mlp.intercepts_),
                        meta={"validation_score": float(mlp.best_validation_score_), "epochs": int(mlp.n_iter_)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train_command_model", description="Train the neural command model.")
    parser.add_argument("--out", type=Path, default=builtin_model_path(), help="model file to write")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="synthesis and shard cache folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--espeak-voices", type=int, default=44, help="espeak-ng training speakers")
    parser.add_argument("--hidden", type=int, default=256, help="hidden units of the MLP")
    parser.add_argument("--max-iter", type=int, default=80, help="training epochs at most")
    parser.add_argument("--subset", type=int, default=0,
                        help="quick run: 2 voices and the first N texts of each negative kind")
    parser.add_argument("--max-shards", type=int, default=0, help="use only the first N shards (0 = all)")
    args = parser.parse_args(argv)
    for engine in ("espeak", "flite", "pico"):
        if not available(engine):
            print(f"error: the {engine} synthesizer (and sox) is needed for training; "
                  "install espeak-ng, flite, sox and ../shared/reference/more-voices.sh", file=sys.stderr)
            return 2
    started = time.monotonic()
    grammar = Grammar.build(load_library().all())
    items = build_items(grammar, args.espeak_voices, args.subset, args.seed)
    shards = dataset.make_shards(items, args.seed, noise_items=20 if args.subset else 400)
    if args.max_shards:
        shards = shards[: args.max_shards]  # items are shuffled, so this is a random subset
    print(f"{len(items)} utterances in {len(shards)} shards; cache {args.cache}", file=sys.stderr)
    results = collect(shards, args.cache, args.jobs)
    features = np.concatenate([r.pooled() for r in results if r.windows])
    labels = [label for r in results for label in r.labels]
    kinds = [kind for r in results for kind in r.kinds]
    audio_s = sum(r.audio_s for r in results)
    print(f"{len(labels)} examples ({sum(1 for x in labels if x != NONE_LABEL)} commands) from "
          f"{audio_s / 3600:.1f} h of audio; fitting", file=sys.stderr)
    model = fit(features, labels, args.seed, args.hidden, args.max_iter)
    meta = dict(model.meta, examples=len(labels), audio_hours=round(audio_s / 3600, 2),
                kinds={k: kinds.count(k) for k in sorted(set(kinds))}, seed=args.seed,
                espeak_voices=args.espeak_voices, subset=args.subset, shards=len(shards),
                train_minutes=round((time.monotonic() - started) / 60, 1))
    model = CommandModel(model.labels, model.mean, model.scale, model.weights, model.biases, meta)
    meta.update(input_size=int(features.shape[1]), hidden=args.hidden, labels=list(model.labels))
    model = CommandModel(model.labels, model.mean, model.scale, model.weights, model.biases, meta)
    model.save(args.out)
    if args.out == builtin_model_path():
        write_card(args.out, meta)
    print(json.dumps({"out": str(args.out), "sha256": sha256_of(args.out), **meta}), flush=True)
    return 0
