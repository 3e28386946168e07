"""The status as lines, for logs and pipes: routine, step, foot, countdown, what was heard.

On a terminal ``voice_coach.live.screen`` shows a full screen instead; when
stdout is not a terminal (or with ``--plain``) one plain line is printed
whenever something changes.  The engine's ``StatusView`` is read by attribute
name with fallbacks, so a renamed or missing field shows as blank rather than
crashing the coach.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Any, TextIO


def _field(view: Any, *names: str) -> Any:
    for name in names:
        value = getattr(view, name, None)
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class Glance:
    """What the display shows, pulled out of the engine's view."""

    routine: str
    step: str
    foot: str
    remaining_s: float | None
    paused: bool
    phase: str

    @classmethod
    def of(cls, view: Any) -> "Glance":
        remaining = _field(view, "remaining_s", "time_left_s", "seconds_left")
        step = str(_field(view, "step_title", "step") or "—")
        number, count = _field(view, "step_number"), _field(view, "step_count")
        if number is not None and count is not None and step != "—":
            step = f"{step} ({number} of {count})"
        return cls(
            routine=str(_field(view, "routine_title", "routine", "routine_id") or "—"),
            step=step,
            foot=str(_field(view, "foot") or "—"),
            remaining_s=float(remaining) if isinstance(remaining, (int, float)) else None,
            paused=bool(_field(view, "paused")),
            phase=str(_field(view, "phase", "mode") or ""),
        )

    def countdown(self) -> str:
        if self.remaining_s is None:
            return "--:--"
        total = max(0, int(self.remaining_s + 0.999))
        return f"{total // 60:02d}:{total % 60:02d}"

    def line(self) -> str:
        if self.routine == "—":
            return "no routine running"
        paused = " (paused)" if self.paused else ""
        return f"{self.routine} · {self.step} · foot: {self.foot} · {self.countdown()}{paused}"


class PlainStatus:
    """One line per change, for logs and pipes."""

    def __init__(self, out: TextIO | None = None, echo_speech: bool = False) -> None:
        """``echo_speech``: also print the coach's words (when a real speaker says them)."""
        self.out = out if out is not None else sys.stdout
        self.echo_speech = echo_speech
        self._last_key: tuple | None = None
        self._lock = threading.Lock()

    def show(self, view: Any, now: float) -> None:
        glance = Glance.of(view)
        key = (glance.routine, glance.step, glance.foot, glance.paused, glance.phase)
        if key != self._last_key:
            self._last_key = key
            self._write(f"[status] {glance.line()}")

    def note(self, kind: str, text: str) -> None:
        if kind == "said":
            if self.echo_speech:
                self._write(f"coach: {text}")
            return  # otherwise PrintSpeaker already printed it
        self._write(f"[{kind}] {text}")

    def _write(self, line: str) -> None:
        with self._lock:
            self.out.write(line + "\n")
            self.out.flush()

    def close(self) -> None:
        pass
