"""Which profile a session uses (``--user`` or ``[recognizer] user``) and what ``check`` says about it."""

import numpy as np
import pytest

from voice_coach.config import config_file, load_settings, override
from voice_coach.doctor import check_profile
from voice_coach.enrollment.active import active_profile, describe_profile
from voice_coach.enrollment.store import ProfileStore
from voice_coach.errors import ConfigError
from voice_coach.recognition.neural.profile import VoiceProfile


def save(user="anna", complete=True):
    vectors = np.zeros((2, 673), np.float32)
    ProfileStore().save(VoiceProfile(user, ("next", "stop"), vectors, ("next", "stop"), {"complete": complete}))


def test_the_config_key_names_the_profile():
    config_file().parent.mkdir(parents=True)
    config_file().write_text('[recognizer]\nuser = "anna"\n')
    settings = load_settings()
    assert settings.recognizer.user == "anna"
    save()
    assert active_profile(settings).user == "anna"


def test_no_user_means_no_profile():
    settings = load_settings()
    assert active_profile(settings) is None
    ok, line = describe_profile(settings, "fused")
    assert ok and line.startswith("none")


def test_a_missing_profile_is_an_error_with_the_fix():
    settings = override(load_settings(), "recognizer", user="anna")
    with pytest.raises(ConfigError, match="no voice profile 'anna'"):
        active_profile(settings)
    ok, line = describe_profile(settings, "fused")
    assert not ok and "voice-coach enroll --user anna" in line


def test_check_shows_the_active_profile():
    save(complete=False)
    settings = override(load_settings(), "recognizer", user="anna")
    result = check_profile(settings, "sphinx", None)
    assert result.ok and result.name == "voice profile"
    assert "anna: 2 takes of 2 commands" in result.detail
    assert "unfinished" in result.detail
    assert "not used by the sphinx engine" in result.detail


def test_check_fails_on_a_missing_profile():
    result = check_profile(override(load_settings(), "recognizer", user="ghost"), "sphinx", None)
    assert not result.ok and "no voice profile 'ghost'" in result.detail


def test_check_and_list_name_the_own_words_beyond_the_core_list(capsys):
    from voice_coach.cli import main

    vectors = np.zeros((3, 673), np.float32)
    ProfileStore().save(VoiceProfile("anna", ("pause", "pause", "time_left"), vectors,
                                     ("pause", "hold on", "how long is left"), {"complete": True}))
    result = check_profile(override(load_settings(), "recognizer", user="anna"), "fused", None)
    assert "anna: 3 takes of 2 commands, own words: hold on, how long is left" in result.detail
    assert main(["enroll", "--list"]) == 0
    assert "anna: 3 takes of 2 commands, own words: hold on, how long is left (complete)" in capsys.readouterr().out
