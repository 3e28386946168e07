"""Finding and checking Vosk model folders, and choosing the engine."""

import dataclasses
from pathlib import Path

import pytest

from fixtures.grammar_routines import grammar_routines
from fixtures.tiny_vosk_model import build, synthesize
from voice_coach.config import RecognizerSettings, Settings
from voice_coach.errors import ConfigError, RecognizerError
from voice_coach.grammar import Grammar
from voice_coach.recognition import vosk_model
from voice_coach.recognition.factory import choose_engine, describe_engine, make_recognizer
from voice_coach.recognition.vosk_model import find_vosk_model, fst_problem, load_vosk_model, model_problem

WORDS = Grammar.build(grammar_routines()).words()


@pytest.fixture(autouse=True)
def _no_repo_models(monkeypatch, tmp_path):
    """Only the folders a test sets up count: not a models/ folder of the checkout."""
    monkeypatch.setattr(vosk_model, "repo_root", lambda: None)
    monkeypatch.chdir(tmp_path)


def settings(**recognizer):
    return dataclasses.replace(Settings(), recognizer=RecognizerSettings(**recognizer))


def test_nothing_found_means_none(tmp_path):
    assert find_vosk_model(Settings()) is None
    (tmp_path / "models" / "empty").mkdir(parents=True)
    assert find_vosk_model(Settings()) is None


def test_models_folder_in_the_current_folder(tmp_path):
    model = build(tmp_path / "models" / "vosk-model-small-en-us-0.15", WORDS)
    build(tmp_path / "models" / "vosk-model-small-de-0.15", WORDS)
    assert find_vosk_model(Settings()) == Path("models/vosk-model-small-en-us-0.15").absolute() == model.absolute()


def test_models_folder_of_the_checkout(tmp_path, monkeypatch):
    checkout = tmp_path / "checkout"
    model = build(checkout / "models", WORDS)  # the model unzipped straight into models/
    monkeypatch.setattr(vosk_model, "repo_root", lambda: checkout)
    monkeypatch.chdir(tmp_path / "checkout" / "models")
    assert find_vosk_model(Settings()) == model


def test_explicit_folder_wins_and_may_be_a_parent(tmp_path, monkeypatch):
    a = build(tmp_path / "a" / "inner", WORDS)
    b = build(tmp_path / "b", WORDS)
    build(tmp_path / "models" / "m", WORDS)
    monkeypatch.setenv("VOICE_COACH_MODEL", str(b))
    assert find_vosk_model(Settings()) == b
    assert find_vosk_model(settings(model_dir=str(b)), model_dir=tmp_path / "a") == a
    assert find_vosk_model(settings(model_dir=str(tmp_path / "a"))) == a


@pytest.mark.parametrize("source", ["argument", "settings", "env"])
def test_explicit_folder_that_is_not_a_model_is_an_error(tmp_path, monkeypatch, source):
    bad = tmp_path / "nope"
    kwargs = {}
    if source == "argument":
        kwargs["model_dir"] = bad
    elif source == "env":
        monkeypatch.setenv("VOICE_COACH_MODEL", str(bad))
    s = settings(model_dir=str(bad)) if source == "settings" else Settings()
    with pytest.raises(RecognizerError, match="does not exist") as err:
        find_vosk_model(s, **kwargs)
    assert "download-model" in err.value.fix


def test_incomplete_and_damaged_models_are_described(tmp_path):
    model = build(tmp_path / "m", WORDS)
    assert model_problem(model) is None
    (model / "graph" / "Gr.fst").unlink()
    assert "graph/HCLr.fst + graph/Gr.fst" in model_problem(model)
    model = build(tmp_path / "m2", WORDS)
    (model / "conf" / "mfcc.conf").unlink()
    assert "conf/mfcc.conf" in model_problem(model)
    model = build(tmp_path / "m3", WORDS)
    data = (model / "graph" / "HCLr.fst").read_bytes()
    (model / "graph" / "HCLr.fst").write_bytes(data[:-1])
    assert "damaged graph/HCLr.fst" in model_problem(model)
    assert "truncated" in fst_problem(model / "graph" / "HCLr.fst")
    (model / "graph" / "HCLr.fst").write_bytes(b"not an fst at all")
    assert fst_problem(model / "graph" / "HCLr.fst") == "not an OpenFst file"
    assert model_problem(tmp_path / "m4") == "does not exist"


def test_damaged_model_is_a_recognizer_error_not_a_crash(tmp_path):
    # libvosk segfaults later on a truncated graph; the header check stops it first.
    model = build(tmp_path / "m", WORDS)
    (model / "graph" / "HCLr.fst").write_bytes((model / "graph" / "HCLr.fst").read_bytes()[:20])
    with pytest.raises(RecognizerError, match="damaged"):
        load_vosk_model(model)
    model = build(tmp_path / "m2", WORDS)
    (model / "am" / "final.mdl").write_text("garbage")
    with pytest.raises(RecognizerError, match="could not load"):
        load_vosk_model(model)


def test_engine_choice(tmp_path):
    assert choose_engine(Settings()).engine == "fused"
    assert "PocketSphinx + neural command model" in describe_engine(Settings())
    assert choose_engine(settings(wake_word="coach")).engine == "sphinx"  # only the grammar knows the wake word
    with pytest.raises(ConfigError, match="wake word"):
        choose_engine(settings(wake_word="coach"), "fused")
    with pytest.raises(RecognizerError, match="no Vosk model"):
        choose_engine(Settings(), "vosk")
    assert "no usable recognizer" in describe_engine(Settings(), "vosk")
    with pytest.raises(ConfigError):
        choose_engine(Settings(), "whisper")
    model = build(tmp_path / "models" / "m", WORDS)
    choice = choose_engine(Settings())
    assert (choice.engine, choice.model) == ("vosk", model.absolute())
    assert choose_engine(Settings(), "sphinx").engine == "sphinx"
    assert choose_engine(settings(engine="sphinx")).engine == "sphinx"
    assert str(model.absolute()) in describe_engine(Settings())


def test_make_recognizer_builds_vosk_with_the_configured_wake_word(tmp_path):
    model = build(tmp_path / "m", WORDS | {"coach"})
    rec = make_recognizer(settings(wake_word="coach"), grammar_routines(), "auto", model)
    assert rec.name == "vosk"
    heard = rec.accept(synthesize(["coach", "pause"])) + rec.flush()
    assert [h.text for h in heard] == ["coach pause"]


def test_make_recognizer_falls_back_to_the_fused_engine():
    rec = make_recognizer(Settings(), grammar_routines())
    assert rec.name == "fused"
    assert make_recognizer(Settings(), grammar_routines(), "neural").name == "neural"
    assert make_recognizer(Settings(), grammar_routines(), "sphinx").name == "sphinx"
