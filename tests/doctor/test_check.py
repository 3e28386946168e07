"""`voice-coach check`: every line OK/FAIL with a fix, no traceback, real devices when available."""

from pathlib import Path

import numpy as np
import pytest

from voice_coach.cli import main
from voice_coach.config import Settings
from voice_coach.doctor import judge_level, level_dbfs, run_checks


def test_level_of_silence_and_tone():
    assert level_dbfs(np.zeros(100, np.int16))[0] == float("-inf")
    tone = (np.sin(np.arange(16000) / 5) * 3276).astype(np.int16)
    db, peak = level_dbfs(tone)
    assert -24 < db < -20 and peak <= 3277


@pytest.mark.parametrize("amplitude, ok, word", [(0, False, "silence"), (32767, False, "clipping"), (3000, True, "level")])
def test_judge_level(amplitude, ok, word):
    x = (np.sign(np.sin(np.arange(32000) / 7)) * amplitude).astype(np.int16)
    result = judge_level(x)
    assert result.ok is ok and word in result.detail
    assert ok or result.fix


def test_checks_without_sound_report_each_part(tmp_path):
    reported = []
    results = run_checks(Settings(), config_path=tmp_path / "none.toml", sound=False, report=reported.append)
    by_name = {r.name: r for r in results}
    assert reported == results
    assert by_name["config"].ok and "using defaults" in by_name["config"].detail
    assert by_name["routines"].ok and "heel-spur" in by_name["routines"].detail
    assert by_name["recognizer"].ok and "PocketSphinx + neural command model" in by_name["recognizer"].detail
    assert by_name["journal"].ok


QUICK_ROUTINES = Path(__file__).resolve().parent.parent / "live" / "data"


def test_a_routine_name_the_neural_model_never_learned_is_named(tmp_path):
    fused = {r.name: r for r in run_checks(Settings(), config_path=tmp_path / "none.toml", sound=False,
                                          routines_dirs=(str(QUICK_ROUTINES),))}["recognizer"]
    assert fused.ok and "not in the neural model, decoded by PocketSphinx's grammar: quick-test" in fused.detail
    neural = {r.name: r for r in run_checks(Settings(), config_path=tmp_path / "none.toml", sound=False,
                                           routines_dirs=(str(QUICK_ROUTINES),), engine="neural")}["recognizer"]
    assert not neural.ok and "quick-test" in neural.detail and "fused" in neural.fix


def test_bad_config_and_missing_model_are_fails_with_fixes(tmp_path, capsys):
    bad = tmp_path / "config.toml"
    bad.write_text("[speech]\nrate = 1\n")
    rc = main(["--config", str(bad), "check", "--no-sound", "--engine", "vosk", "--model", str(tmp_path / "nomodel")])
    out = capsys.readouterr().out
    assert rc == 1
    assert "FAIL  config" in out and "speech.rate" in out
    assert "FAIL  recognizer" in out and "fix:" in out
    assert "Traceback" not in out


@pytest.mark.audio
def test_check_on_virtual_sound_card(audio_stack, capsys):
    rc = main(["check", "--input-device", "pulse", "--output-device", "pulse"])
    out = capsys.readouterr().out
    for name in ("audio devices", "test chime", "test sentence"):
        assert f"OK    {name}" in out, out
    # The virtual microphone carries digital silence, which the level check must call out.
    assert "FAIL  microphone level" in out and "silence" in out
    assert rc == 1
