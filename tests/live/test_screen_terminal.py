"""``voice-coach run --text`` on a real pseudo-terminal (tmux), and its line output when piped.

The pane is read with ``tmux capture-pane``; every check polls the captured
screen until the expected content appears (generous bounds, no fixed sleeps),
so a busy machine makes the test slower, not red.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from voice_coach.live.big_digits import clock_text, render_big
from voice_coach.live.screen import STDERR_LOG

from tests.live.cli_helpers import ROOT, CoachProcess, no_sound_env

SCREEN_ROUTINES = Path(__file__).parent / "screen_data"  # one step with a one-minute timer per foot
WAIT_S = 60.0
DIGIT_ROWS = 7  # what an 80x24 screen draws


class Pane:
    """A detached 80x24 tmux session (its own server socket) running one command."""

    def __init__(self, tmp_path: Path, command: str, env: dict) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        self.rc_file = tmp_path / "rc"
        wrapped = f"{command}; echo $? > {shlex.quote(str(self.rc_file))}"
        self._tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", "coach", wrapped, env=env)

    def _tmux(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(["tmux", "-S", self.socket, *args], env=env, capture_output=True, text=True,
                              timeout=WAIT_S)
        if done.returncode:
            raise AssertionError(f"tmux {args[0]} failed: {done.stderr}")
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "coach")

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "coach", "-l", text)

    def press(self, key: str) -> None:
        self._tmux("send-keys", "-t", "coach", key)

    def wait_for(self, check, what: str) -> str:
        """The first captured screen for which ``check(screen)`` is true (else fail, showing the last)."""
        deadline = time.monotonic() + WAIT_S
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"the screen never showed {what}; last screen:\n{screen}")

    def wait_for_text(self, fragment: str) -> str:
        return self.wait_for(lambda screen: fragment in screen, repr(fragment))

    def wait_for_exit(self) -> int:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if self.rc_file.exists() and self.rc_file.read_text().strip():
                return int(self.rc_file.read_text())
            time.sleep(0.1)
        raise AssertionError("the coach did not exit; last screen:\n" + self.screen())

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=WAIT_S)


_CLOCKS = {s: [row.strip() for row in render_big(clock_text(s), DIGIT_ROWS)] for s in range(0, 61)}


def shown_seconds(screen: str) -> int | None:
    """The countdown drawn in big digits on ``screen``, in whole seconds (None when none is)."""
    rows = [line.strip() for line in screen.split("\n")]
    for seconds, glyph in _CLOCKS.items():
        for i in range(len(rows) - DIGIT_ROWS + 1):
            if rows[i:i + DIGIT_ROWS] == glyph:
                return seconds
    return None


@pytest.fixture
def env(tmp_path):
    return no_sound_env({"VOICE_COACH_CONFIG_DIR": str(tmp_path / "config"),
                         "VOICE_COACH_DATA_DIR": str(tmp_path / "data")})


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")
def test_the_screen_counts_down_in_big_digits_and_echoes_typed_commands(tmp_path, env):
    command = (f"cd {shlex.quote(str(ROOT))} && {shlex.quote(sys.executable)} -m voice_coach run --text -v "
               f"--no-journal --routines {shlex.quote(str(SCREEN_ROUTINES))}")
    pane = Pane(tmp_path, command, env)
    try:
        pane.wait_for_text("Say start and a routine name")
        pane.type("start countdown routine")
        pane.wait_for_text("you> start countdown routine█")  # typed keys are echoed on the input line
        pane.press("Enter")
        pane.wait_for_text("how is the pain")
        pane.type("pain 4")
        pane.press("Enter")
        first = pane.wait_for(lambda s: "RUNNING" in s and shown_seconds(s) is not None, "a running countdown")
        start = shown_seconds(first)
        later = pane.wait_for(lambda s: (shown_seconds(s) or 99) < start, f"the countdown below {start} s")
        assert "Step 1 of 1  Thumb press" in later and "LEFT FOOT" in later
        lines = later.splitlines()
        assert lines[0].startswith(" voice-coach · Countdown test routine")  # the top row stays: no scrolling
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)

        pane.type("pause")
        pane.wait_for_text("you> pause█")
        pane.press("Enter")
        paused = pane.wait_for_text("PAUSED")
        assert "“pause” → pause" in paused
        pane.type("how much time is left")
        pane.press("Enter")
        pane.wait_for_text("“how much time is left” → time left")
        pane.press("C-d")
        assert pane.wait_for_exit() == 0
    finally:
        pane.close()
    log = (Path(env["VOICE_COACH_DATA_DIR"]) / STDERR_LOG).read_text()  # -v logs, kept off the screen
    assert log.strip() and "Traceback" not in log


def test_piped_output_stays_status_lines_without_escape_codes(env):
    coach = CoachProcess(["run", "--text", "--no-journal", "--routines", str(SCREEN_ROUTINES)], env)
    coach.wait_for("Say start and a routine name", timeout=WAIT_S)
    coach.send("start countdown routine")
    coach.wait_for("[status] Countdown test routine", timeout=WAIT_S)
    rc, err = coach.finish(timeout=WAIT_S)
    assert rc == 0, err
    assert not any("\x1b" in line for _, line in coach.seen)
