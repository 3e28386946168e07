"""The chosen profile reaches the neural and fused engines (run, transcribe, check all build them here)."""

import numpy as np
import pytest

from voice_coach.cli import main
from voice_coach.config import Settings, override
from voice_coach.enrollment.store import ProfileStore
from voice_coach.recognition.factory import make_recognizer
from voice_coach.recognition.neural.profile import VoiceProfile
from voice_coach.routines.loader import load_library


@pytest.fixture
def anna():
    ProfileStore().save(VoiceProfile("anna", ("next",), np.zeros((1, 673), np.float32), ("next",), {"complete": True}))
    return override(Settings(), "recognizer", user="anna")


def test_neural_engine_gets_the_users_profile(anna):
    recognizer = make_recognizer(anna, load_library().all(), "neural")
    assert recognizer.profile is not None and recognizer.profile.profile.user == "anna"


def test_fused_engine_passes_it_to_its_neural_half(anna):
    recognizer = make_recognizer(anna, load_library().all(), "fused")
    assert recognizer.neural.profile.profile.user == "anna"


def test_without_a_user_there_is_no_profile():
    assert make_recognizer(Settings(), load_library().all(), "neural").profile is None


def test_transcribe_with_an_unknown_user_says_how_to_enroll(tmp_path, capsys):
    from voice_coach.audio.wavio import write_wav

    wav = tmp_path / "a.wav"
    write_wav(wav, np.zeros(16000, np.int16))
    assert main(["transcribe", "--engine", "neural", "--user", "ghost", str(wav)]) == 2
    err = capsys.readouterr().err
    assert "no voice profile 'ghost'" in err and "voice-coach enroll --user ghost" in err


def test_transcribe_with_a_profile_runs(anna, tmp_path, capsys):
    from voice_coach.audio.wavio import write_wav

    wav = tmp_path / "quiet.wav"
    write_wav(wav, (np.random.default_rng(0).standard_normal(16000) * 20).astype(np.int16))
    assert main(["transcribe", "--engine", "neural", "--user", "anna", "--json", str(wav)]) == 0
    assert '"commands": []' in capsys.readouterr().out
