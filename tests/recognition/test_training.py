"""The neural model's training pipeline on a small subset, and the shipped model's coverage."""

from __future__ import annotations

import json

import pytest

from voice_coach.evaluation.synth import available
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.classes import ClassMap
from voice_coach.recognition.neural.model import NONE_LABEL, CommandModel, builtin_model_path, sha256_of
from voice_coach.routines.loader import load_library
from voice_coach.training import train
from voice_coach.training.voices import HELD_OUT_VARIANTS, TRAIN_ACCENTS, training_voices
from voice_coach.evaluation import corpus


def builtin_grammar() -> Grammar:
    return Grammar.build(load_library().all())


def test_the_shipped_model_covers_every_command_class_of_the_built_in_routines():
    model = CommandModel.load()
    classes = ClassMap.build(model.labels, builtin_grammar())
    assert classes.missing == ()
    assert NONE_LABEL in model.labels and len(classes.phrase) == len(model.labels) - 1


def test_the_model_card_names_the_shipped_file_by_its_sha256():
    card = (builtin_model_path().parent / "MODEL_CARD.md").read_text()
    assert sha256_of(builtin_model_path()) in card


def test_no_training_voice_is_a_tuning_or_held_out_voice():
    train_voices = training_voices()
    labels = {v.label for v in train_voices}
    for voice in corpus.TUNING_VOICES + corpus.HELD_OUT_VOICES:
        assert voice.label not in labels
        base, _, variant = voice.name.partition("+")
        if voice.engine == "espeak" and not base.startswith("mb-"):
            assert base not in TRAIN_ACCENTS or variant in HELD_OUT_VARIANTS or voice in corpus.TUNING_VOICES
    for voice in train_voices:
        assert voice.name.partition("+")[2] not in HELD_OUT_VARIANTS
        assert voice.name not in {"mb-us2", "mb-us3", "kal", "awb", "rms", "en-GB"}


@pytest.mark.skipif(not (available("espeak") and available("flite") and available("pico")),
                    reason="espeak-ng, flite, pico2wave and sox are needed to synthesize training speech")
def test_retraining_on_a_small_subset_runs_and_covers_every_class(tmp_path, capsys):
    out = tmp_path / "model.npz"
    status = train.main(["--subset", "2", "--out", str(out), "--cache", str(tmp_path / "cache"), "--jobs", "1",
                         "--max-iter", "15"])
    assert status == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["sha256"] == sha256_of(out) and summary["subset"] == 2
    model = CommandModel.load(out)
    assert ClassMap.build(model.labels, builtin_grammar()).missing == ()
