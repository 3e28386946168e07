"""Waiting in tests: poll a condition up to a generous bound instead of sleeping a fixed time.

CI runs on a busy two-core machine where a thread can be starved for seconds, so a
test waits for *what* it needs (an event, a count, a state) and the bound only
decides when to give up on a hang::

    wait_until(lambda: mic.connected, what="the microphone to recover")

A real-time budget ("cuts in within 200 ms") is measured by scripts/bench_*.py,
not asserted here.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")

PATIENCE_S = 30.0  # far beyond anything a working system needs, even on a loaded machine


def wait_until(condition: Callable[[], T], timeout: float = PATIENCE_S, interval: float = 0.01,
               what: str = "the condition") -> T:
    """Call ``condition`` until it returns something truthy and return that; AssertionError after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what} in vain")
        time.sleep(interval)
