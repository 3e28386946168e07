"""SIGTERM ends the coach the way Ctrl-C does.

``systemctl stop`` (and a plain ``kill``) send SIGTERM.  Python's default for it ends the process
on the spot: the sentence being played is cut mid-word and the session is left for the journal's
crash recovery.  Raised as a KeyboardInterrupt in the main thread instead, it goes through the
loop's clean interrupt path (speaker stopped, session kept resumable, "stopped" said once).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class StopSignals:
    """Which stop signal arrived (SIGTERM, or None for Ctrl-C / nothing)."""

    def __init__(self) -> None:
        self.received: int | None = None

    def _raise(self, signum: int, _frame) -> None:
        self.received = signum
        raise KeyboardInterrupt

    @property
    def exit_code(self) -> int:
        """128 + the signal, as shells report it: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + (self.received or signal.SIGINT)


@contextmanager
def sigterm_as_interrupt() -> Iterator[StopSignals]:
    """While inside, SIGTERM raises KeyboardInterrupt (main thread only; elsewhere unchanged)."""
    signals = StopSignals()
    if threading.current_thread() is not threading.main_thread():
        yield signals
        return
    previous = signal.signal(signal.SIGTERM, signals._raise)
    try:
        yield signals
    finally:
        signal.signal(signal.SIGTERM, previous)
