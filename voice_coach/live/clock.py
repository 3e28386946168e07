"""Clocks the live loop reads and waits on.

The engine never reads a clock; the loop reads exactly one of these and hands
``now`` to it.  Waiting is part of the clock because "sleep until the next
deadline or until a worker posts something" is the one blocking call in the
loop, and a faster-than-real-time demo has to shorten exactly that wait.
"""

from __future__ import annotations

import queue
import time
from typing import Protocol, TypeVar

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


class ScaledClock:
    """A clock running ``speed`` times faster than real time (``demo --speed``).

    Clock-seconds advance ``speed`` times per real second, so a two-minute timer
    runs out after 120/speed real seconds while speech keeps its natural pace.
    """

    def __init__(self, speed: float, origin: float | None = None) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be positive, not {speed}")
        self.speed = speed
        self._real0 = time.monotonic()
        self._clock0 = self._real0 if origin is None else origin

    def now(self) -> float:
        return self._clock0 + (time.monotonic() - self._real0) * self.speed

    def to_clock(self, real_t: float) -> float:
        """Map a ``time.monotonic()`` reading onto this clock."""
        return self._clock0 + (real_t - self._real0) * self.speed

    def wait(self, inbox: "queue.Queue[T]", timeout: float | None) -> T | None:
        try:
            real = None if timeout is None else max(0.0, timeout) / self.speed
            return inbox.get(timeout=real)
        except queue.Empty:
            return None
