"""Typing commands under the full screen: the line editor, and the key reader on a real pseudo-terminal."""

from __future__ import annotations

import os
import queue
import termios

import pytest

from voice_coach.intents import Command, Intent
from voice_coach.live.inbox import HeardCommand, InputClosed
from voice_coach.live.keyboard import KeyboardCommandReader, LineEditor


def test_enter_submits_the_line_and_starts_a_new_one():
    editor = LineEditor()
    assert editor.feed("pau") == [] and editor.buffer == "pau"
    assert editor.feed("se\rnext\n") == ["pause", "next"]
    assert editor.buffer == ""


def test_backspace_ctrl_u_and_ctrl_w_edit_the_line():
    editor = LineEditor()
    editor.feed("start heal\x7f\x7fel")
    assert editor.buffer == "start heel"
    editor.feed("\x17")
    assert editor.buffer == "start "
    editor.feed("x\x08")
    assert editor.buffer == "start "
    editor.feed("\x15")
    assert editor.buffer == ""


def test_arrow_keys_and_other_escape_sequences_are_dropped():
    editor = LineEditor()
    assert editor.feed("ne\x1b[Ax\x1b[1;5Dt\x1bOB\n") == ["next"]


def test_ctrl_d_ends_the_input_only_on_an_empty_line():
    editor = LineEditor()
    editor.feed("pa\x04")
    assert not editor.closed and editor.buffer == "pa"
    editor.feed("\x15\x04")
    assert editor.closed


class PauseOnly:
    def parse(self, text: str):
        return Command(Intent.PAUSE, text=text) if text == "pause" else None


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    yield master, slave
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def _get(q: queue.Queue, what: str):
    try:
        return q.get(timeout=30)
    except queue.Empty:
        raise AssertionError(f"no {what} within 30 s") from None


def test_the_reader_echoes_keys_to_the_screen_posts_commands_and_hints(pty_pair):
    master, slave = pty_pair
    posted, typed, hints = queue.Queue(), queue.Queue(), queue.Queue()
    reader = KeyboardCommandReader(PauseOnly(), posted.put, lambda: 5.0, typed=typed.put, hint=hints.put, fd=slave)
    reader.start()
    try:
        assert not termios.tcgetattr(slave)[3] & termios.ECHO  # the terminal itself no longer echoes
        os.write(master, b"pau")
        while _get(typed, "echo of 'pau'") != "pau":
            pass
        os.write(master, b"se\r")
        item = _get(posted, "command")
        assert isinstance(item, HeardCommand) and item.command.intent is Intent.PAUSE
        assert (item.text, item.typed, item.heard_at) == ("pause", True, 5.0)
        os.write(master, "héllo\r".encode())
        assert "not a command: 'héllo'" in _get(hints, "hint")
        os.write(master, b"\x04")
        assert isinstance(_get(posted, "end of input"), InputClosed)
    finally:
        reader.close()
    assert termios.tcgetattr(slave)[3] & termios.ECHO and termios.tcgetattr(slave)[3] & termios.ICANON
