"""The full-screen adapter: what it collects into a snapshot, and that it redraws on its own."""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass

from rich.console import Console

from voice_coach.intents import Command, Intent
from voice_coach.live.big_digits import render_big
from voice_coach.live.inbox import HeardCommand, SpeechStarted
from voice_coach.live.loop import MIC_BACK_NOTICE, MIC_LOST_NOTICE
from voice_coach.live.screen import NO_SOUND_AFTER_S, ScreenStatus
from voice_coach.live.screen_layout import Listening
from voice_coach.session.state import StatusView


@dataclass
class Clock:
    t: float = 100.0

    def now(self) -> float:
        return self.t


def _view(seconds_left: float) -> StatusView:
    return StatusView(phase="step", routine_title="R", step_title="S", step_number=1, step_count=1, foot="left",
                      seconds_left=seconds_left, paused=False, last_command=None, stage="running")


def _screen(clock: Clock, typing: bool = False, level=None, describe=None, console=None) -> ScreenStatus:
    end = clock.t + 90.0
    return ScreenStatus(describe or (lambda: _view(end - clock.now())), clock.now, typing=typing, level=level,
                        console=console or Console(file=io.StringIO(), width=80, height=24))


def test_a_tapped_command_shows_with_what_it_was_understood_as_and_goes_on_to_the_loop():
    posted = []
    screen = _screen(Clock())
    post = screen.tap(posted.append)
    item = HeardCommand(Command(Intent.ADD_TIME, {"seconds": 60}), heard_at=1.0, text="add a minute")
    post(item)
    post(SpeechStarted(1, 2.0))
    assert posted == [item, SpeechStarted(1, 2.0)]
    s = screen.snapshot()
    assert (s.heard, s.understood, s.heard_note) == ("add a minute", "add time: 60 s", None)
    screen.note("echo", "add a minute")  # the coach's own voice: not shown as heard
    assert screen.snapshot().heard == "add a minute" and screen.snapshot().notice != "add a minute"


def test_notes_fill_the_coach_line_and_the_notice():
    screen = _screen(Clock())
    screen.note("said", "Left foot, one minute, begin.")
    screen.note("chime", "halfway")
    s = screen.snapshot()
    assert (s.said, s.notice) == ("Left foot, one minute, begin.", None)
    screen.notice("not a command: 'hello'")
    assert screen.snapshot().notice == "not a command: 'hello'"


def test_the_listening_state_follows_the_listeners_level_and_the_microphone_reports():
    clock = Clock()
    latest = [None]
    screen = _screen(clock, level=lambda: latest[0])
    assert screen.snapshot().listening is Listening.NO_SOUND
    latest[0] = (clock.t - 0.1, 3276.8)  # a block a moment ago at -20 dBFS
    s = screen.snapshot()
    assert s.listening is Listening.LISTENING and round(s.mic_db) == -20
    clock.t += NO_SOUND_AFTER_S + 0.5
    assert screen.snapshot().listening is Listening.NO_SOUND
    screen.note("mic", f"{MIC_LOST_NOTICE} (USB Mic)")
    assert screen.snapshot().listening is Listening.MIC_LOST
    latest[0] = (clock.t, 100.0)
    screen.note("mic", f"{MIC_BACK_NOTICE} (USB Mic)")
    assert screen.snapshot().listening is Listening.LISTENING


def test_typing_mode_shows_the_line_being_typed_instead_of_a_microphone():
    screen = _screen(Clock(), typing=True)
    screen.typed("pau")
    s = screen.snapshot()
    assert (s.listening, s.typing) == (Listening.KEYBOARD, "pau")


def test_before_the_session_has_started_the_screen_is_blank_not_broken():
    def not_yet():
        raise AttributeError("'NoneType' object has no attribute 'phase'")

    s = _screen(Clock(), describe=not_yet).snapshot()
    assert (s.phase, s.seconds_left) == ("idle", None)


def test_the_screen_redraws_by_itself_so_the_countdown_moves_between_events():
    out = io.StringIO()
    clock = Clock()
    screen = _screen(clock, console=Console(file=out, width=80, height=24, force_terminal=True,
                                            color_system=None, legacy_windows=False))

    def wait_for_digits(text: str) -> None:
        rows = render_big(text, 7)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(row in out.getvalue() for row in rows):
                return
            time.sleep(0.05)
        raise AssertionError(f"{text} never drawn")

    screen.start()
    try:
        wait_for_digits("1:30")
        clock.t += 25.0  # nothing is posted or noted: only the redraw thread can show this
        wait_for_digits("1:05")
    finally:
        screen.close()
    assert "\x1b[?1049h" in out.getvalue()  # the alternate screen: the terminal's own lines do not scroll


def test_warnings_also_show_as_the_notice():
    screen = _screen(Clock())
    undo = screen.capture_logging()
    try:
        logging.getLogger("voice_coach.test").warning("speaking is not possible")
        logging.getLogger("voice_coach.test").info("heard 'next'")
        assert screen.snapshot().notice == "warning: speaking is not possible"
    finally:
        undo()
    assert not any(type(h).__name__ == "_NoticeHandler" for h in logging.getLogger().handlers)


def test_stderr_goes_to_a_file_while_the_screen_is_shown(tmp_path):
    import os

    from voice_coach.live.screen import stderr_into

    log_file = tmp_path / "data" / "screen-stderr.log"
    before = os.fstat(2)
    with stderr_into(log_file):
        os.write(2, b"ALSA lib pcm.c: underrun occurred\n")  # what a C library writes, past Python
    assert log_file.read_text() == "ALSA lib pcm.c: underrun occurred\n"
    assert (os.fstat(2).st_ino, os.fstat(2).st_dev) == (before.st_ino, before.st_dev)
