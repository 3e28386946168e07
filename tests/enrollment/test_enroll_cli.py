"""``voice-coach enroll --from DIR``, ``--list``, ``--forget``: takes named by their words, bad names reported."""

import os
import stat

import numpy as np
import pytest

from fixtures.tiny_command_model import save_tiny_bank, save_tiny_model
from voice_coach.audio.wavio import write_wav
from voice_coach.cli import main
from voice_coach.config import data_dir
from voice_coach.enrollment.folder import command_of_name
from voice_coach.enrollment.store import ProfileStore
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural import model as model_module
from voice_coach.recognition.neural import refit as refit_module
from voice_coach.recognition.neural.model import CommandModel
from voice_coach.routines.loader import load_library


@pytest.fixture
def tiny_builtin_model(tmp_path, monkeypatch):
    """The shipped model (and its voice-profile bank) replaced by a tiny one (tests never depend
    on the trained weights)."""
    path = save_tiny_model(tmp_path / "tiny_model.npz")
    bank = save_tiny_bank(tmp_path / "tiny_bank.npz", CommandModel.load(path))
    monkeypatch.setattr(model_module, "builtin_model_path", lambda: path)
    monkeypatch.setattr(refit_module, "builtin_bank_path", lambda: bank)
    return path


def pad(x):
    quiet = np.zeros(8000, np.int16)
    return np.concatenate([quiet, x, quiet])


@pytest.fixture
def takes_dir(tmp_path, say):
    folder = tmp_path / "takes"
    folder.mkdir()
    for name, text, tempo in (("next", "next", 1.0), ("next 2", "next", 0.95), ("next_3", "next", 1.05),
                              ("pain five", "pain five", 1.0), ("pain five 2", "pain five", 0.95),
                              ("stop", "stop", 1.0)):
        write_wav(folder / f"{name}.wav", pad(say(text, tempo)))
    write_wav(folder / "hello there.wav", pad(say("hello there")))  # not a command
    write_wav(folder / "next2.wav", pad(say("next")))  # take number glued on: not a name we can read
    write_wav(folder / "yes.wav", pad(say("yes", gain_db=-35)))  # a command, but too quiet
    (folder / "notes.txt").write_text("ignored: not a WAV")
    data = b"WAVEfmt " + (16).to_bytes(4, "little") + bytes.fromhex("01000100401f0000401f000001000800")
    data += b"data" + (4).to_bytes(4, "little") + b"\x80" * 4
    (folder / "no.wav").write_bytes(b"RIFF" + len(data).to_bytes(4, "little") + data)  # 8-bit
    return folder


def test_file_names_say_the_command_with_an_optional_take_number():
    g = Grammar.build(load_library().all())
    assert command_of_name("next", g).text == "next"
    assert command_of_name("next 2", g).text == "next"
    assert command_of_name("pain_five_3", g).slots == {"level": 5}
    assert command_of_name("pain five", g).slots == {"level": 5}
    assert command_of_name("add thirty seconds-2", g).slots == {"seconds": 30}
    assert command_of_name("next2", g) is None
    assert command_of_name("hello there", g) is None


def test_from_dir_keeps_good_takes_and_reports_bad_files_by_name(takes_dir, tiny_builtin_model, capsys):
    status = main(["enroll", "--user", "anna", "--from", str(takes_dir)])
    out, err = capsys.readouterr()
    assert status == 1  # some files could not be used
    assert "skipped: hello there.wav: 'hello there' is not a command the coach knows" in err
    assert "skipped: next2.wav: 'next2' is not a command" in err
    assert "skipped: yes.wav: That was too quiet" in err
    assert "skipped: no.wav:" in err and "16-bit" in err
    assert "notes.txt" not in err
    assert "saved the voice profile 'anna': 6 takes of 3 commands" in out
    profile = ProfileStore().load("anna")
    assert (profile.count("next"), profile.count("pain:level=5"), profile.count("stop")) == (3, 2, 1)
    assert profile.takes == 6 and set(profile.labels) == {"next", "pain:level=5", "stop"}
    path = data_dir() / "profiles" / "anna.npz"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_a_clean_folder_succeeds_and_replaces_the_profile(takes_dir, tiny_builtin_model, capsys):
    for bad in ("hello there.wav", "next2.wav", "yes.wav", "no.wav"):
        (takes_dir / bad).unlink()
    assert main(["enroll", "--user", "anna", "--from", str(takes_dir)]) == 0
    assert main(["enroll", "--user", "anna", "--from", str(takes_dir)]) == 0
    assert "replaced the voice profile 'anna'" in capsys.readouterr().out


def test_a_folder_with_nothing_usable_is_an_error(tmp_path, say, tiny_builtin_model, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    write_wav(folder / "good morning.wav", pad(say("good morning")))
    assert main(["enroll", "--user", "anna", "--from", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "good morning.wav" in err and "no usable take" in err
    assert not ProfileStore().exists("anna")


def test_list_and_forget(takes_dir, tiny_builtin_model, capsys):
    assert main(["enroll", "--list"]) == 0
    assert "no voice profiles yet" in capsys.readouterr().out
    main(["enroll", "--user", "anna", "--from", str(takes_dir)])
    capsys.readouterr()
    assert main(["enroll", "--list"]) == 0
    out = capsys.readouterr().out
    assert "anna: 6 takes of 3 commands" in out and "no audio" in out
    assert main(["enroll", "--forget", "anna"]) == 0
    assert "forgot the voice profile 'anna'" in capsys.readouterr().out
    assert not (data_dir() / "profiles" / "anna.npz").exists()
    assert main(["enroll", "--forget", "anna"]) == 2
    assert "no voice profile 'anna' to forget" in capsys.readouterr().err


def test_bad_user_name_and_missing_user(capsys):
    assert main(["enroll", "--user", "../x", "--from", "."]) == 2
    assert "cannot be a profile name" in capsys.readouterr().err
    assert main(["enroll"]) == 2
    assert "enroll needs --user NAME" in capsys.readouterr().err


def test_phrase_errors_are_reported_before_any_device_is_opened(tiny_builtin_model, capsys):
    assert main(["enroll", "--user", "anna", "--phrase", "hold on", "--from", "."]) == 2
    assert "--phrase is for the guided enrollment" in capsys.readouterr().err
    assert main(["enroll", "--user", "anna", "--phrase", "hold on to the towel"]) == 2
    err = capsys.readouterr().err
    assert "--phrase 'hold on to the towel' is not a command the coach knows" in err
    assert "microphone" not in err and "speaker" not in err


class QueuedRecorder:
    takes: list = []

    def __init__(self, mic):
        pass

    def record(self):
        return QueuedRecorder.takes.pop(0)


class NoMicrophone:
    def __init__(self, device):
        pass

    def start(self):
        pass

    def stop(self):
        pass


@pytest.fixture
def guided_cli(monkeypatch):
    """The guided enrollment with its microphone replaced by queued takes."""
    from voice_coach.audio import microphone
    from voice_coach.enrollment import live

    monkeypatch.setattr(microphone, "SoundDeviceMicrophone", NoMicrophone)
    monkeypatch.setattr(live, "MicTakeRecorder", QueuedRecorder)
    return QueuedRecorder.takes


def test_guided_own_phrase_by_the_cli(guided_cli, say, tiny_builtin_model, capsys):
    guided_cli[:] = [pad(say("next step", t)) for t in (0.95, 1.0, 1.05)]
    assert main(["enroll", "--user", "anna", "--phrase", "Next Step", "--no-speech"]) == 0
    out = capsys.readouterr().out
    assert "1/1 phrases enrolled" in out and "tip:" not in out
    profile = ProfileStore().load("anna")
    assert profile.count_text("next step") == 3 and profile.meta["complete"] is False


def test_a_finished_core_list_ends_with_the_own_words_tip(guided_cli, say, tiny_builtin_model, capsys, monkeypatch):
    from voice_coach.enrollment import phrases

    monkeypatch.setattr(phrases, "core_prompts", lambda grammar: [phrases.Prompt("next", "next")])
    guided_cli[:] = [pad(say("next", t)) for t in (0.95, 1.0, 1.05)]
    assert main(["enroll", "--user", "anna", "--no-speech"]) == 0
    out = capsys.readouterr().out
    assert "1/1 commands enrolled" in out
    assert 'tip: say a command in other words' in out and '--phrase "hold on"' in out
