"""The therapist's glance: routine, step, foot, a big countdown, last command heard.

On a terminal a rich ``Live`` panel redraws itself four times a second (the
countdown moves even when nothing happens); when stdout is not a terminal
(logs, pipes, tests) one plain line is printed whenever something changes.
The engine's ``StatusView`` is read by attribute name with fallbacks, so a
renamed or missing field shows as blank rather than crashing the coach.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, TextIO

_BIG = {  # 3-row block digits, readable from a massage table
    "0": ("█▀█", "█ █", "▀▀▀"), "1": (" ▀█", "  █", "  ▀"), "2": ("▀▀█", "█▀▀", "▀▀▀"),
    "3": ("▀▀█", " ▀█", "▀▀▀"), "4": ("█ █", "▀▀█", "  ▀"), "5": ("█▀▀", "▀▀█", "▀▀▀"),
    "6": ("█▀▀", "█▀█", "▀▀▀"), "7": ("▀▀█", "  █", "  ▀"), "8": ("█▀█", "█▀█", "▀▀▀"),
    "9": ("█▀█", "▀▀█", "▀▀▀"), ":": (" ", "▀", "▀"), "-": ("   ", "▀▀▀", "   "),
}


def big_text(text: str) -> str:
    rows = ["", "", ""]
    for ch in text:
        glyph = _BIG.get(ch, ("   ", "   ", "   "))
        for i in range(3):
            rows[i] += glyph[i] + " "
    return "\n".join(r.rstrip() for r in rows)


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


class RichStatus:
    """A live panel that redraws itself (the countdown ticks between events)."""

    def __init__(self, describe_now: Callable[[], Any]) -> None:
        from rich.live import Live

        self._describe_now = describe_now
        self._heard = "—"
        self._said = ""
        self._mic = ""
        self._live = Live(get_renderable=self._render, refresh_per_second=4, transient=False)
        self._live.start()

    def _render(self):
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        try:
            glance = Glance.of(self._describe_now())
        except Exception as exc:  # the display must never take the coach down
            return Text(f"(status unavailable: {exc})")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        grid.add_row("Routine", glance.routine)
        grid.add_row("Step", glance.step)
        grid.add_row("Foot", glance.foot + ("   [yellow]PAUSED[/yellow]" if glance.paused else ""))
        grid.add_row("Time", Text(big_text(glance.countdown()), style="bold cyan"))
        grid.add_row("Heard", self._heard)
        if self._said:
            grid.add_row("Coach", Text(self._said[:120], style="dim"))
        if self._mic:
            grid.add_row("Mic", Text(self._mic, style="red"))
        return Panel(grid, title="voice-coach", expand=False)

    def show(self, view: Any, now: float) -> None:
        pass  # redraws itself from describe_now

    def note(self, kind: str, text: str) -> None:
        if kind == "heard":
            self._heard = text
        elif kind == "ignored":
            self._heard = f"(ignored) {text}"
        elif kind == "said":
            self._said = text
        elif kind == "mic":
            self._mic = "" if "working again" in text else text

    def close(self) -> None:
        self._live.stop()
