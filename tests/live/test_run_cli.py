"""``voice-coach run --text`` and the no-device path, through the real CLI and engine."""

from __future__ import annotations

import signal

import pytest

from voice_coach import cli
from voice_coach.audio import devices

from tests.live.cli_helpers import PATIENCE_S, QUICK_ROUTINES, CoachProcess, no_sound_env


@pytest.fixture
def env(tmp_path):
    return no_sound_env({"VOICE_COACH_CONFIG_DIR": str(tmp_path / "config"),
                         "VOICE_COACH_DATA_DIR": str(tmp_path / "data")})


def test_text_mode_runs_a_routine_on_the_real_clock(env):
    coach = CoachProcess(["run", "--text", "--routines", str(QUICK_ROUTINES)], env)
    coach.wait_for("Say start and a routine name")
    coach.send("start quick routine")
    coach.wait_for("how is the pain")
    coach.send("pain 4")
    left = coach.wait_for("Left foot, three seconds, begin")
    chime = coach.wait_for("[chime]")
    right_cue = coach.wait_for("Switch to the right foot")
    coach.wait_for("Right foot, three seconds, begin")
    # The three-second timer runs on the monotonic clock, not on printing speed.  The bounds leave
    # room for a loaded machine's late line reading; how late cues fire is bench_cue_timing.py's job.
    assert 2.5 <= chime - left < 6.0
    assert right_cue - chime < 3.0  # the switch cue comes with the chime, not after another timer
    coach.wait_for("Say next when you are done")
    coach.send("next")
    coach.wait_for("how is the pain")
    coach.send("pain 2")
    coach.wait_for("routine is complete")
    rc, err = coach.finish()
    assert rc == 0, err
    assert "Traceback" not in err


def test_text_mode_ignores_non_commands_and_ends_on_eof(env):
    coach = CoachProcess(["run", "--text", "--no-journal"], env)
    coach.wait_for("Say start and a routine name")
    coach.send("next week I'm traveling")
    coach.wait_for("not a command")
    rc, err = coach.finish()
    assert rc == 0, err
    assert "Traceback" not in err


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
                         ids=["ctrl-c", "sigterm"])
def test_a_stop_signal_keeps_the_session_resumable(env, sig, code):
    coach = CoachProcess(["run", "--text", "--routines", str(QUICK_ROUTINES)], env)
    coach.wait_for("Say start and a routine name")
    coach.send("start quick routine")
    coach.wait_for("how is the pain")
    coach.send("pain 4")
    coach.wait_for("Left foot, three seconds, begin")
    coach.proc.send_signal(sig)
    # Let the signal end it before stdin closes: on a loaded machine the closed input
    # could otherwise end the session normally first.
    coach.proc.wait(PATIENCE_S)
    rc, err = coach.finish()
    assert rc == code and "resumed" in err and "Traceback" not in err

    again = CoachProcess(["run", "--text", "--routines", str(QUICK_ROUTINES)], env)
    again.wait_for("Resume the quick routine at quick roll, left foot")
    again.send("yes")
    again.wait_for("Quick roll")
    again.wait_for("Switch to the right foot")
    rc, err = again.finish()
    assert rc == 0, err


def test_run_without_any_sound_device_says_what_to_do(monkeypatch, capsys):
    monkeypatch.setattr(devices, "list_devices", lambda: [])
    rc = cli.main(["run", "--no-journal"])
    err = capsys.readouterr().err
    assert rc != 0
    assert "no sound device" in err and "--text" in err and "demo" in err
    assert "Traceback" not in err


def test_unknown_routine_is_a_clear_error(capsys):
    rc = cli.main(["run", "--text", "no-such-routine"])
    err = capsys.readouterr().err
    assert rc != 0 and "no-such-routine" in err and "heel-spur" in err
