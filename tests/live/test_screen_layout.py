"""The full-screen layout as a pure function of a snapshot (no terminal needed)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from voice_coach.intents import Command, Intent
from voice_coach.live.big_digits import render_big
from voice_coach.live.screen_layout import (Listening, ScreenSnapshot, activity, compose, level_bar, level_db,
                                            screen_text, snapshot_of, understood_as)
from voice_coach.session.state import StatusView

RUNNING = ScreenSnapshot(
    routine="Heel spur massage", step_number=2, step_count=5, step_title="Thumb strokes along the arch",
    foot="right", seconds_left=83.4, phase="step", stage="running", listening=Listening.LISTENING,
    mic_db=-35.0, heard="add a minute", understood="add time: 60 s",
    said="About one minute twenty-four seconds left on the right foot.", typing="how much ti", hint="Try: help")


def _rows(s: ScreenSnapshot, width: int = 80, height: int = 24) -> list[str]:
    return screen_text(s, width, height).split("\n")


@pytest.mark.parametrize("width, height", [(80, 24), (100, 40), (60, 20), (40, 12), (80, 5)])
def test_the_screen_has_exactly_its_height_and_no_line_is_wider(width, height):
    long = ScreenSnapshot(**{**RUNNING.__dict__, "step_title": "x" * 300, "said": "word " * 200,
                             "heard": "y" * 300, "notice": "z" * 300, "typing": "t" * 300})
    for s in (RUNNING, long, ScreenSnapshot()):
        lines = compose(s, width, height)
        assert len(lines) == height
        assert all(cell_len(line.plain) <= width for line in lines)
        assert lines[-1].plain.startswith(" you> ") == (s.typing is not None)


def test_80_by_24_shows_everything_a_glance_needs():
    text = screen_text(RUNNING)
    assert "Heel spur massage" in text and "RUNNING" in text
    assert "Step 2 of 5  Thumb strokes along the arch" in text
    assert "RIGHT FOOT" in text
    assert "\n".join(line.strip() for line in render_big("1:24", 7)) in "\n".join(r.strip() for r in _rows(RUNNING))
    assert "● listening" in text and "▮" in text and "-35 dB" in text
    assert "“add a minute” → add time: 60 s" in text
    assert "About one minute twenty-four seconds left" in text
    assert _rows(RUNNING)[-1] == " you> how much ti█"


def test_the_countdown_is_big_and_centred():
    rows = _rows(ScreenSnapshot(**{**RUNNING.__dict__, "seconds_left": 5 * 60 + 38}))  # no "1": ink fills the box
    digit_rows = [r for r in rows if "██" in r]
    assert len(digit_rows) >= 7
    left = min(len(r) - len(r.lstrip()) for r in digit_rows)
    right = 80 - max(len(r) for r in digit_rows)
    assert abs(left - right) <= 2


def test_the_same_snapshot_gives_the_same_screen_at_every_redraw():
    assert screen_text(RUNNING) == screen_text(RUNNING)


def test_the_layout_does_not_move_when_the_time_or_the_words_change():
    later = ScreenSnapshot(**{**RUNNING.__dict__, "seconds_left": 9.0, "said": "Ten seconds.", "heard": None})
    a, b = _rows(RUNNING), _rows(later)
    for label in (" Mic ", " Heard ", " Coach ", " Try:", " you>"):
        assert [i for i, r in enumerate(a) if r.startswith(label)] == [i for i, r in enumerate(b) if r.startswith(label)]


@pytest.mark.parametrize("changes, badge", [
    ({}, "RUNNING"), ({"paused": True}, "PAUSED"), ({"stage": "announcing"}, "GET READY"),
    ({"stage": "waiting", "seconds_left": None}, "SAY NEXT"), ({"phase": "pain_before", "stage": None}, "QUESTION"),
    ({"phase": "idle"}, "READY"), ({"phase": "ended"}, "FINISHED"),
])
def test_the_badge_says_what_the_coach_is_doing(changes, badge):
    s = ScreenSnapshot(**{**RUNNING.__dict__, **changes})
    assert activity(s)[0] == badge
    assert _rows(s)[0].endswith(f" {badge}")


def test_paused_digits_are_yellow_and_running_digits_green():
    def digit_style(s):
        return next(line.style for line in compose(s) if "██" in line.plain)

    assert digit_style(RUNNING) == "bold green"
    assert digit_style(ScreenSnapshot(**{**RUNNING.__dict__, "paused": True})) == "bold yellow"


@pytest.mark.parametrize("listening, shown", [
    (Listening.KEYBOARD, "keyboard"), (Listening.MIC_LOST, "microphone lost"), (Listening.NO_SOUND, "○ no sound"),
])
def test_the_listening_line_says_where_commands_come_from(listening, shown):
    s = ScreenSnapshot(**{**RUNNING.__dict__, "listening": listening, "mic_db": None})
    assert shown in screen_text(s)


def test_a_command_that_was_not_acted_on_says_so():
    s = ScreenSnapshot(**{**RUNNING.__dict__, "heard_note": "not acted on: stop (too quiet)"})
    assert "(not acted on: stop (too quiet))" in screen_text(s)


def test_no_timer_shows_blank_digits_and_no_step_says_what_to_do():
    text = screen_text(ScreenSnapshot(phase="idle"))
    assert "██" not in text and "no routine yet" in text and "start" in text


@pytest.mark.parametrize("command, shown", [
    (Command(Intent.TIME_LEFT), "time left"),
    (Command(Intent.ADD_TIME, {"seconds": 60}), "add time: 60 s"),
    (Command(Intent.START_ROUTINE, {"routine": "heel-spur"}), "start routine: heel-spur"),
    (Command(Intent.PAIN, {"level": 4}), "pain: 4"),
])
def test_understood_as_names_the_intent_and_its_value(command, shown):
    assert understood_as(command) == shown


def test_level_bar_runs_from_quiet_room_to_close_speech():
    assert level_bar(None) == "·" * 20
    assert level_bar(-80.0) == "▯" * 20 and level_bar(0.0) == "▮" * 20
    assert level_bar(-35.0).count("▮") == 10
    assert level_db(32768.0) == pytest.approx(0.0) and level_db(0.0) < -80


def test_snapshot_of_reads_the_engines_view():
    view = StatusView(phase="step", routine_title="R", step_title="S", step_number=1, step_count=3, foot="left",
                      seconds_left=12.5, paused=True, last_command=None, stage="running")
    s = snapshot_of(view, said="hi")
    assert (s.routine, s.step_title, s.step_number, s.step_count, s.foot, s.seconds_left, s.paused, s.stage,
            s.said) == ("R", "S", 1, 3, "left", 12.5, True, "running", "hi")
    assert snapshot_of(None).phase == "idle"
