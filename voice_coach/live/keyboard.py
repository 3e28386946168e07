"""Typing commands under the full screen: keys read one by one, the line echoed by the screen.

The terminal's own echo would write over the screen, so the terminal is put
in cbreak mode without echo (Ctrl-C still interrupts) and ``LineEditor``
keeps the line; the screen shows it on its last row.
"""

from __future__ import annotations

import codecs
import os
import termios
from typing import Callable

from voice_coach.live.inbox import InboxItem, InputClosed
from voice_coach.live.text_io import Parser, TextCommandReader

_ERASE = ("\x7f", "\x08")
_KILL_LINE = "\x15"  # Ctrl-U
_KILL_WORD = "\x17"  # Ctrl-W
_END = "\x04"  # Ctrl-D
_ESC = "\x1b"
_MAX_LINE = 200


class LineEditor:
    """A one-line editor fed with typed characters; ``buffer`` is the line so far.

    Enter submits; backspace, Ctrl-U and Ctrl-W edit; Ctrl-D on an empty line
    ends the input (``closed``).  Escape sequences (arrow keys…) are dropped.
    """

    def __init__(self) -> None:
        self.buffer = ""
        self.closed = False
        self._escape = ""  # an escape sequence being skipped

    def feed(self, chars: str) -> list[str]:
        """Add typed characters; returns the lines submitted by them, in order."""
        submitted = []
        for ch in chars:
            if self._skip_escape(ch):
                continue
            if ch in "\r\n":
                submitted.append(self.buffer)
                self.buffer = ""
            elif ch in _ERASE:
                self.buffer = self.buffer[:-1]
            elif ch == _KILL_LINE:
                self.buffer = ""
            elif ch == _KILL_WORD:
                head = self.buffer.rstrip()
                self.buffer = head[: len(head) - len(head.split(" ")[-1])]
            elif ch == _END and not self.buffer:
                self.closed = True
            elif ch.isprintable() and len(self.buffer) < _MAX_LINE:
                self.buffer += ch
        return submitted

    def _skip_escape(self, ch: str) -> bool:
        if ch == _ESC:
            self._escape = ch
            return True
        if not self._escape:
            return False
        self._escape += ch
        # ESC [ params final, or ESC O final (CSI / SS3); a lone ESC + key is two characters
        if len(self._escape) == 2 and ch not in "[O":
            self._escape = ""
        elif len(self._escape) > 2 and "\x40" <= ch <= "\x7e":
            self._escape = ""
        return True


class KeyboardCommandReader(TextCommandReader):
    """Reads keys from a terminal ``fd`` in a daemon thread; ``typed`` gets the line after each key."""

    def __init__(self, parser: Parser, post: Callable[[InboxItem], None], now: Callable[[], float],
                 typed: Callable[[str], None], hint: Callable[[str], None], fd: int = 0) -> None:
        super().__init__(parser, post, now, hint=hint)
        self.typed = typed
        self.fd = fd
        self.editor = LineEditor()
        self._saved: list | None = None

    def start(self) -> None:
        """Take the terminal out of line mode (``close`` gives it back), then read."""
        self._saved = termios.tcgetattr(self.fd)
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflag; ISIG stays, so Ctrl-C still interrupts
        mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)
        super().start()

    def close(self) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def _run(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        try:
            while not self.editor.closed:
                data = os.read(self.fd, 256)
                if not data:
                    break
                for line in self.editor.feed(decoder.decode(data)):
                    self.submit(line)
                self.typed(self.editor.buffer)
        except OSError as exc:  # the terminal went away (SSH dropped)
            self.post(InputClosed(f"input error: {exc}"))
            return
        self.post(InputClosed("end of input"))
