"""Config file loading: defaults, overrides, and errors that name the file and key."""

import dataclasses
import re
from pathlib import Path

import pytest

from voice_coach.cli import main
from voice_coach.config import Settings, load_settings, override
from voice_coach.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "nope.toml") == Settings()


def test_values_are_read_and_ints_widen_to_floats(tmp_path):
    s = load_settings(write(tmp_path, '[speech]\nrate_wpm = 140\nvolume = 1\n[recognizer]\nwake_word = "coach"\n'))
    assert s.speech.rate_wpm == 140 and s.speech.volume == 1.0 and s.recognizer.wake_word == "coach"


def test_routines_dirs(tmp_path):
    assert load_settings(write(tmp_path, 'routines_dirs = ["/a", "/b"]\n')).routines_dirs == ("/a", "/b")


@pytest.mark.parametrize(
    "text, words",
    [
        ("[speech]\nrate = 3\n", ["speech.rate", "rate_wpm"]),
        ("[speach]\n", ["[speach]", "speech"]),
        ('[speech]\nrate_wpm = "fast"\n', ["speech.rate_wpm", "int"]),
        ("[speech]\nrate_wpm = true\n", ["speech.rate_wpm", "int"]),
        ("[speech\n", ["not valid TOML"]),
        ("speech = 3\n", ["[speech] must be a table"]),
        ("routines_dirs = 3\n", ["routines_dirs"]),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(path) in err.value.message
    for word in words:
        assert word in str(err.value)
    assert err.value.fix


def test_override_ignores_none():
    s = override(Settings(), "speech", rate_wpm=None, voice="en-gb")
    assert s.speech.voice == "en-gb" and s.speech.rate_wpm == Settings().speech.rate_wpm


def test_every_setting_is_documented_in_readme():
    readme = (REPO / "README.md").read_text()
    for section in dataclasses.fields(Settings):
        if section.name == "routines_dirs":
            assert "routines_dirs" in readme
            continue
        for f in dataclasses.fields(section.default_factory()):
            assert re.search(rf"`{f.name}`", readme), f"README lacks [{section.name}] {f.name}"


def test_cli_prints_error_without_traceback(capsys):
    assert main(["routines", "--routines", "/definitely/not/here"]) != 0
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
