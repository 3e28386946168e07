"""The full-screen status on a terminal: rich ``Live`` redrawing a fixed layout.

The layout is a pure function of a snapshot (``screen_layout``); this adapter
collects what goes into the snapshot — the engine's view read at redraw time
(so the countdown moves between events), what was heard, said and typed, and
the level the listener measured on the microphone — and redraws four times a
second on the terminal's alternate screen.  Every redraw overwrites every
row in place, so nothing flickers or scrolls.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from voice_coach.live.inbox import HeardCommand, InboxItem
from voice_coach.live.loop import MIC_BACK_NOTICE
from voice_coach.live.screen_layout import Listening, ScreenSnapshot, compose, level_db, snapshot_of, understood_as

log = logging.getLogger(__name__)

NO_SOUND_AFTER_S = 2.0  # no microphone block for this long: the stream is stalled, say so
REFRESH_PER_S = 4.0
STDERR_LOG = "screen-stderr.log"  # in the data folder: what went to stderr while the screen was shown

Level = Callable[[], "tuple[float, float] | None"]  # (clock time, int16 RMS) of the newest microphone block


def screen_possible(needs_keyboard: bool) -> bool:
    """A full screen needs a real terminal on stdout (and on stdin when commands are typed)."""
    if os.environ.get("TERM", "") in ("", "dumb") or not sys.stdout.isatty():
        return False
    return not needs_keyboard or sys.stdin.isatty()


class ScreenStatus:
    """``StatusPort`` for a terminal.  ``note``/``typed``/``notice`` may be called from any thread."""

    def __init__(self, describe_now: Callable[[], Any], now: Callable[[], float], *, typing: bool,
                 level: Level | None = None, hint: str = "", console=None) -> None:
        """``level``: the listener's newest microphone level; ``hint``: the line above the input."""
        from rich.console import Console
        from rich.live import Live

        self._describe_now = describe_now
        self._now = now
        self.level = level
        self.hint = hint
        self._lock = threading.Lock()
        self._typing: str | None = "" if typing else None
        self._heard: tuple[str, str] | None = None  # (words, understood as)
        self._heard_note: str | None = None
        self._said: str | None = None
        self._notice: str | None = None
        self._mic_lost = False
        self.console = console or Console()
        self._live = Live(get_renderable=self._renderable, console=self.console, screen=True,
                          refresh_per_second=REFRESH_PER_S, redirect_stdout=False, redirect_stderr=False)

    # ---- lifetime ------------------------------------------------------------
    def start(self) -> None:
        self._live.start(refresh=True)

    def close(self) -> None:
        self._live.stop()
        if self._said:  # the alternate screen is gone: leave the last words on the terminal
            self.console.print(f"coach: {self._said}", markup=False, highlight=False)

    # ---- StatusPort ----------------------------------------------------------
    def show(self, view: Any, now: float) -> None:
        pass  # the view is read at each redraw, so the countdown ticks between events

    def note(self, kind: str, text: str) -> None:
        with self._lock:
            if kind == "said":
                self._said = text
            elif kind == "heard":
                self._heard_note = None
            elif kind == "echo":
                pass  # the coach's own voice coming back: nothing for the therapist to read
            elif kind == "mic":
                self._mic_lost = not text.startswith(MIC_BACK_NOTICE)
                self._notice = text
            elif kind != "chime":
                self._notice = text

    # ---- what else the screen shows ---------------------------------------------
    def tap(self, post: Callable[[InboxItem], None]) -> Callable[[InboxItem], None]:
        """``post`` that also shows each command on its way to the loop (with what it was taken for)."""

        def post_and_show(item: InboxItem) -> None:
            if isinstance(item, HeardCommand):
                with self._lock:
                    self._heard = (item.text or item.command.text, understood_as(item.command))
                    self._heard_note = None
            post(item)

        return post_and_show

    def typed(self, line: str) -> None:
        """The command line as typed so far (echoed at once, not at the next tick)."""
        with self._lock:
            self._typing = line
        self._redraw_now()

    def notice(self, text: str) -> None:
        with self._lock:
            self._notice = text
        self._redraw_now()

    def _redraw_now(self) -> None:
        if self._live.is_started:  # a key after close must not draw on the restored terminal
            self._live.refresh()

    def snapshot(self) -> ScreenSnapshot:
        now = self._now()
        try:
            view = self._describe_now()
        except Exception:  # before the session has started there is nothing to describe yet
            log.debug("no status view yet", exc_info=True)
            view = None
        listening, db = self._listening(now)
        with self._lock:
            heard, understood = self._heard or (None, None)
            return snapshot_of(view, listening=listening, mic_db=db, heard=heard, understood=understood,
                               heard_note=self._heard_note, said=self._said, notice=self._notice,
                               typing=self._typing, hint=self.hint)

    def _listening(self, now: float) -> tuple[Listening, float | None]:
        if self._typing is not None:
            return Listening.KEYBOARD, None
        if self._mic_lost:
            return Listening.MIC_LOST, None
        latest = self.level() if self.level else None
        if latest is None or now - latest[0] > NO_SOUND_AFTER_S:
            return Listening.NO_SOUND, None
        return Listening.LISTENING, level_db(latest[1])

    def _renderable(self):
        return _Frame(self)

    # ---- logging -------------------------------------------------------------------
    def capture_logging(self) -> Callable[[], None]:
        """Also show warnings as the notice (a log file is not where a therapist looks); returns the undo."""
        root = logging.getLogger()
        handler = _NoticeHandler(self.notice)
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)
        return lambda: root.removeHandler(handler)


class _Frame:
    """One redraw: the layout at the console's current size (a resized terminal is followed)."""

    def __init__(self, screen: ScreenStatus) -> None:
        self.screen = screen

    def __rich_console__(self, console, options):
        from rich.text import Text

        height = options.height or console.height
        try:
            lines = compose(self.screen.snapshot(), options.max_width, height)
        except Exception as exc:  # the display must never take the coach down
            lines = [Text(f"(status unavailable: {exc})")]
        yield Text("\n", no_wrap=True, overflow="crop").join(lines)


class _NoticeHandler(logging.Handler):
    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__()
        self.show = show

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.show(f"{record.levelname.lower()}: {record.getMessage()}")
        except Exception:
            self.handleError(record)


@contextmanager
def stderr_into(path: Path) -> Iterator[None]:
    """Point file descriptor 2 at ``path`` for the block: logs and C libraries (ALSA's "underrun
    occurred") would otherwise write over the screen and scroll it."""
    sys.stderr.flush()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    saved = os.dup(2)
    with open(path, "w", encoding="utf-8") as log_file:
        os.dup2(log_file.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def screen_for(loop, *, typing: bool) -> ScreenStatus:
    """A screen showing ``loop``'s engine on ``loop``'s clock (not started: see ``open_screen``)."""
    clock = loop.clock
    return ScreenStatus(lambda: loop.engine.describe(clock.now()), clock.now, typing=typing)


def _mention(log_path: Path) -> None:
    try:
        if log_path.stat().st_size:
            print(f"(messages written while the screen was shown: {log_path})", file=sys.stderr)
    except OSError:
        pass


def open_screen(screen: ScreenStatus, loop, stack: ExitStack) -> None:
    """Make ``screen`` the loop's status and start it; ``stack`` closes it and gives stderr back."""
    from voice_coach.config import data_dir

    screen.start()
    stack.callback(screen.close)
    if os.isatty(2):
        log_path = data_dir() / STDERR_LOG
        stack.callback(_mention, log_path)  # runs after stderr is back on the terminal
        stack.enter_context(stderr_into(log_path))
    stack.callback(screen.capture_logging())
    loop.status = screen
