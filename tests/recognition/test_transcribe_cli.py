"""``voice-coach transcribe``: JSON lines per file, bad files reported, others still processed."""

import json
import subprocess
import sys

import numpy as np
import pytest

from fixtures.grammar_routines import grammar_routines
from fixtures.tiny_vosk_model import build, synthesize
from voice_coach.audio.wavio import resample, write_wav
from voice_coach.cli import main
from voice_coach.grammar import Grammar


@pytest.fixture
def model(tmp_path):
    return build(tmp_path / "model", Grammar.build(grammar_routines()).words() | {"coach"})


@pytest.fixture
def wavs(tmp_path):
    files = {}
    files["stop"] = tmp_path / "stop.wav"
    write_wav(files["stop"], synthesize(["stop"]))
    pain = resample(synthesize(["pain", "five"]), 16000, 44100)
    files["pain"] = tmp_path / "pain five 44k stereo.wav"
    write_wav(files["pain"], np.stack([pain, pain], axis=1), 44100)
    files["chatter"] = tmp_path / "chatter.wav"
    write_wav(files["chatter"], synthesize(["[unk]", "stop"]))
    files["text"] = tmp_path / "notes.wav"
    files["text"].write_text("not audio")
    files["8bit"] = tmp_path / "eight.wav"
    data = b"WAVEfmt " + (16).to_bytes(4, "little") + bytes.fromhex("01000100401f0000401f000001000800")
    data += b"data" + (4).to_bytes(4, "little") + b"\x80" * 4
    files["8bit"].write_bytes(b"RIFF" + len(data).to_bytes(4, "little") + data)
    files["cut"] = tmp_path / "next cut short.wav"
    write_wav(files["cut"], synthesize(["next"]))
    files["cut"].write_bytes(files["cut"].read_bytes()[:-6400])  # 0.2 s of the promised audio missing
    return files


def transcribe(capsys, *argv):
    status = main(["transcribe", *map(str, argv)])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_lines_with_the_vosk_model(capsys, model, wavs):
    status, out, err = transcribe(capsys, "--model", model, "--json", wavs["stop"], wavs["pain"], wavs["chatter"])
    assert status == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == [str(wavs[k]) for k in ("stop", "pain", "chatter")]
    assert all(line["engine"] == "vosk" for line in lines)
    stop, pain, chatter = (line["commands"] for line in lines)
    assert stop == [{"text": "stop", "intent": "stop", "slots": {}, "at_s": stop[0]["at_s"]}]
    assert 0.75 <= stop[0]["at_s"] <= 0.9  # speech ends at 0.6 s
    assert pain[0]["intent"] == "pain" and pain[0]["slots"] == {"level": 5} and pain[0]["text"] == "pain five"
    assert 1.1 <= pain[0]["at_s"] <= 1.3  # speech ends at 0.96 s; stereo 44.1 kHz was downmixed/resampled
    assert chatter == []


def test_bad_files_get_one_line_each_and_the_rest_still_runs(capsys, model, wavs, tmp_path):
    missing = tmp_path / "missing.wav"
    status, out, err = transcribe(capsys, "--model", model, "--json", wavs["text"], wavs["stop"], wavs["8bit"], missing,
                                  wavs["cut"])
    assert status == 1
    assert [json.loads(line)["file"] for line in out.splitlines()] == [str(wavs["stop"])]
    errors = err.splitlines()
    assert len(errors) == 4 and all(line.startswith("error: ") for line in errors)
    assert str(wavs["text"]) in errors[0] and "not a WAV file" in errors[0]
    assert str(wavs["8bit"]) in errors[1] and "8-bit" in errors[1]
    assert str(missing) in errors[2] and "no such file" in errors[2]
    assert str(wavs["cut"]) in errors[3] and "cut short" in errors[3] and "6400 bytes, 0.20 s missing" in errors[3]
    assert "Traceback" not in err


def test_readable_output_and_wake_word(capsys, model, tmp_path):
    bare, prefixed = tmp_path / "pause.wav", tmp_path / "coach pause.wav"
    write_wav(bare, synthesize(["pause"]))
    write_wav(prefixed, synthesize(["coach", "pause"]))
    status, out, _ = transcribe(capsys, "--model", model, bare)
    assert status == 0 and out == f"{bare} [vosk]: 'pause' at 0.78s\n"
    status, out, _ = transcribe(capsys, "--model", model, "--wake-word", "coach", bare, prefixed)
    assert status == 0
    assert out.splitlines() == [f"{bare} [vosk]: no commands", f"{prefixed} [vosk]: 'coach pause' at 1.14s"]


def test_missing_model_for_engine_vosk_is_one_clear_error(capsys, wavs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = transcribe(capsys, "--engine", "vosk", "--model", tmp_path / "nope", wavs["stop"])
    assert status == 2 and out == ""
    assert err.startswith("error: Vosk model") and "fix:" in err and "Traceback" not in err


def test_sphinx_engine_reports_its_name(capsys, wavs):
    status, out, _ = transcribe(capsys, "--engine", "sphinx", "--json", wavs["chatter"])
    assert status == 0 and json.loads(out)["engine"] == "sphinx"


def test_real_command_line(model, wavs):
    done = subprocess.run([sys.executable, "-m", "voice_coach", "transcribe", "--model", str(model), "--json",
                           str(wavs["stop"]), str(wavs["text"])], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert json.loads(done.stdout)["commands"][0]["intent"] == "stop"
    assert len(done.stderr.strip().splitlines()) == 1 and str(wavs["text"]) in done.stderr
