"""Clocks the live loop reads and waits on.

The engine never reads a clock; the loop reads exactly one of these and hands
``now`` to it.  Waiting is part of the clock because "sleep until the next
deadline or until a worker posts something" is the one blocking call in the
loop, and a virtual-time demo or test has to replace exactly that wait.
"""

from __future__ import annotations

import bisect
import queue
import time
from typing import Callable, Protocol, TypeVar

T = TypeVar("T")


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale."""

    def wait(self, inbox: "queue.Queue[T]", timeout: float | None) -> T | None:
        """Next inbox item, or None once ``timeout`` clock-seconds have passed."""


class MonotonicClock:
    """Real time (``time.monotonic``): what ``voice-coach run`` uses."""

    def now(self) -> float:
        return time.monotonic()

    def wait(self, inbox: "queue.Queue[T]", timeout: float | None) -> T | None:
        try:
            return inbox.get(timeout=None if timeout is None else max(0.0, timeout))
        except queue.Empty:
            return None


class EventClock:
    """Virtual time for the demo and tests: waiting jumps to the next scheduled item.

    Items put on the inbox directly are delivered first, at the current time;
    items scheduled with ``at`` arrive exactly at their time.  With nothing
    scheduled, no timeout and an empty inbox, ``idle()`` decides what ``wait``
    returns (e.g. "input closed"): a virtual run never blocks.
    """

    def __init__(self, start: float = 0.0, idle: "Callable[[], object] | None" = None) -> None:
        self.t = start
        self.idle = idle or (lambda: None)
        self._schedule: list[tuple[float, int, object]] = []
        self._seq = 0

    def now(self) -> float:
        return self.t

    def at(self, t: float, item: object) -> None:
        self._seq += 1
        bisect.insort(self._schedule, (t, self._seq, item), key=lambda e: (e[0], e[1]))

    def pending(self) -> int:
        return len(self._schedule)

    def cancel(self, predicate: "Callable[[object], bool]") -> list[object]:
        gone = [e[2] for e in self._schedule if predicate(e[2])]
        self._schedule = [e for e in self._schedule if not predicate(e[2])]
        return gone

    def wait(self, inbox: "queue.Queue[T]", timeout: float | None) -> T | None:
        try:
            return inbox.get_nowait()
        except queue.Empty:
            pass
        if self._schedule and (timeout is None or self._schedule[0][0] <= self.t + timeout):
            t, _, item = self._schedule.pop(0)
            self.t = max(self.t, t)
            return item  # type: ignore[return-value]
        if timeout is None:
            return self.idle()  # type: ignore[return-value]
        self.t += max(0.0, timeout)
        return None
