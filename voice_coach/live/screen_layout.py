"""What the full-screen status shows, as a pure function of one snapshot.

``compose(snapshot, width, height)`` returns exactly ``height`` lines, none
wider than ``width``; the live adapter (``voice_coach.live.screen``) only
takes snapshots and hands the lines to rich.  Everything a therapist reads
from a metre away is on fixed rows, so nothing scrolls or jumps.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rich.text import Text

from voice_coach.intents import Command, Intent
from voice_coach.live.big_digits import big_width, clock_text, render_big
from voice_coach.session.state import QUESTION_PHASES

MIN_DB = -60.0  # a level bar starts here (about a quiet room through a USB microphone)
MAX_DB = -10.0  # and is full here (speech close to the microphone)
LEVEL_CELLS = 20
_QUESTION_PHASES = frozenset(str(p) for p in QUESTION_PHASES)


class Listening(StrEnum):
    KEYBOARD = "keyboard"  # --text: commands are typed
    LISTENING = "listening"  # microphone blocks arrive
    NO_SOUND = "no sound"  # the microphone is open but no block came for a while
    MIC_LOST = "mic lost"  # the microphone stream failed; the coach keeps retrying


@dataclass(frozen=True)
class ScreenSnapshot:
    """Everything on the screen at one moment; times in seconds, ``mic_db`` in dBFS."""

    routine: str | None = None
    step_number: int | None = None
    step_count: int | None = None
    step_title: str | None = None
    foot: str | None = None
    seconds_left: float | None = None
    phase: str = "idle"
    stage: str | None = None
    paused: bool = False
    listening: Listening = Listening.KEYBOARD
    mic_db: float | None = None
    heard: str | None = None  # the words, as recognized or typed
    understood: str | None = None  # what they were taken for ("add time: 60 s")
    heard_note: str | None = None  # e.g. why a heard command was not acted on
    said: str | None = None  # the coach's last sentence
    notice: str | None = None  # microphone trouble, "not a command", a warning
    typing: str | None = None  # the command line being typed; None = no keyboard input
    hint: str = ""


def activity(snapshot: ScreenSnapshot) -> tuple[str, str]:
    """The one-word state badge and its style."""
    if snapshot.phase == "ended":
        return "FINISHED", "bold white on blue"
    if snapshot.paused:
        return "PAUSED", "bold black on yellow"
    if snapshot.phase == "idle":
        return "READY", "bold white on blue"
    if snapshot.phase in _QUESTION_PHASES:
        return "QUESTION", "bold white on magenta"
    return {
        "announcing": ("GET READY", "bold black on cyan"),
        "running": ("RUNNING", "bold black on green"),
        "waiting": ("SAY NEXT", "bold black on cyan"),
    }.get(snapshot.stage or "", ((snapshot.stage or snapshot.phase).upper(), "bold"))


def understood_as(command: Command) -> str:
    """A command as the coach took it: "time left", "add time: 60 s", "start routine: heel-spur"."""
    name = str(command.intent).replace("_", " ")
    slots = dict(command.slots)
    if command.intent is Intent.ADD_TIME and "seconds" in slots:
        return f"{name}: {slots['seconds']} s"
    if slots:
        return f"{name}: " + ", ".join(str(v) for v in slots.values())
    return name


def level_db(rms: float) -> float:
    """An int16 RMS level in dBFS (full scale = 0 dB)."""
    return 20.0 * math.log10(max(rms, 1.0) / 32768.0)


def level_bar(db: float | None, cells: int = LEVEL_CELLS) -> str:
    if db is None:
        return "·" * cells
    filled = round((min(max(db, MIN_DB), MAX_DB) - MIN_DB) / (MAX_DB - MIN_DB) * cells)
    return "▮" * filled + "▯" * (cells - filled)


def snapshot_of(view: Any, **extra: Any) -> ScreenSnapshot:
    """A snapshot from the engine's status view (fields read by name, missing ones blank) plus ``extra``."""

    def field(name: str) -> Any:
        return getattr(view, name, None)

    seconds = field("seconds_left")
    return ScreenSnapshot(
        routine=field("routine_title"), step_number=field("step_number"), step_count=field("step_count"),
        step_title=field("step_title"), foot=field("foot"),
        seconds_left=float(seconds) if isinstance(seconds, (int, float)) else None,
        phase=str(field("phase") or "idle"), stage=field("stage"), paused=bool(field("paused")),
        **extra)


def digit_rows(width: int, height: int, text: str = "00:00") -> int:
    """The tallest big digits that leave room for the rest of the screen."""
    for rows in (7, 5, 3):
        if height >= rows + 15 and big_width(text, rows) <= width:
            return rows
    return 3


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


_NO_STEP = {
    "idle": "No routine running — say “start” and a routine name, or “list routines”.",
    "question": "The coach asked a question — answer it (see Coach below).",
    "ended": "The session is over.",
}


def _header(s: ScreenSnapshot, width: int) -> Text:
    badge, style = activity(s)
    badge = f" {badge} "
    title = _fit(f" voice-coach · {s.routine or 'no routine yet'}", max(0, width - len(badge) - 1))
    line = Text(title, style="bold")
    line.append(" " * max(1, width - len(title) - len(badge)))
    line.append(badge, style=style)
    return line


def _step_lines(s: ScreenSnapshot, width: int) -> list[Text]:
    if s.step_title is None:
        what = _NO_STEP.get("question" if s.phase in _QUESTION_PHASES else s.phase, "")
        return [Text(_fit(f" {what}", width), style="dim"), Text("")]
    number = f"Step {s.step_number} of {s.step_count}  " if s.step_number and s.step_count else ""
    step = Text(_fit(f" {number}", width), style="bold")
    step.append(_fit(s.step_title, max(0, width - len(step.plain))))
    foot = f" {s.foot.upper()} FOOT" if s.foot else ""
    return [step, Text(_fit(foot, width), style="bold cyan")]


def _digit_lines(s: ScreenSnapshot, width: int, rows: int) -> list[Text]:
    text = clock_text(s.seconds_left)
    if s.seconds_left is None:
        style = "grey50"
    elif s.paused:
        style = "bold yellow"
    elif s.stage == "running":
        style = "bold green"
    else:
        style = "bold cyan"
    lines = render_big(text, rows)
    pad = " " * max(0, (width - len(lines[0])) // 2)
    return [Text(_fit(pad + line, width), style=style) for line in lines]


def _labelled(label: str, body: str, width: int, style: str = "") -> Text:
    line = Text(f" {label:<7}", style="bold")
    line.append(_fit(body, max(0, width - 8)), style=style)
    return line


def _mic_line(s: ScreenSnapshot, width: int) -> Text:
    if s.listening is Listening.KEYBOARD:
        return _labelled("Input", "keyboard — type a command below and press Enter", width)
    if s.listening is Listening.MIC_LOST:
        return _labelled("Mic", "○ microphone lost — retrying", width, style="bold red")
    dot, style = ("●", "green") if s.listening is Listening.LISTENING else ("○", "yellow")
    db = "" if s.mic_db is None else f"  {s.mic_db:4.0f} dB"
    line = _labelled("Mic", f"{dot} {s.listening}  ", width, style=style)
    line.append(_fit(level_bar(s.mic_db) + db, max(0, width - len(line.plain))))
    return line


def _heard_line(s: ScreenSnapshot, width: int) -> Text:
    if s.heard is None:
        return _labelled("Heard", "—", width, style="dim")
    body = f"“{s.heard}”" + (f" → {s.understood}" if s.understood else "")
    line = _labelled("Heard", body, width)
    if s.heard_note:
        line.append(_fit(f"  ({s.heard_note})", max(0, width - len(line.plain))), style="yellow")
    return line


def _said_lines(s: ScreenSnapshot, width: int, rows: int) -> list[Text]:
    wrapped = textwrap.wrap(s.said or "—", max(10, width - 8)) or ["—"]
    if len(wrapped) > rows:
        wrapped = wrapped[:rows]
        wrapped[-1] = _fit(wrapped[-1] + " …", width - 8)
    lines = [_labelled("Coach" if i == 0 else "", part, width, style="italic") for i, part in enumerate(wrapped)]
    return lines + [Text("")] * (rows - len(lines))


def _bottom_lines(s: ScreenSnapshot, width: int) -> list[Text]:
    lines = [Text(_fit(f" {s.notice}", width), style="bold yellow") if s.notice else Text(""),
             Text(_fit(f" {s.hint}", width), style="dim"),
             Text("─" * width, style="dim")]
    if s.typing is not None:
        prompt = Text(" you> ", style="bold")
        prompt.append(_fit(s.typing, max(0, width - 7)))
        prompt.append("█", style="blink")
        lines.append(prompt)
    else:
        lines.append(Text(_fit(" Ctrl-C ends the session (it can be resumed next time).", width), style="dim"))
    return lines


def compose(s: ScreenSnapshot, width: int = 80, height: int = 24) -> list[Text]:
    """Exactly ``height`` lines of at most ``width`` cells; the input line is always the last."""
    rows = digit_rows(width, height, clock_text(s.seconds_left))
    said_rows = 3 if height >= rows + 17 else 1
    top = [_header(s, width), Text(""), *_step_lines(s, width), Text(""),
           *_digit_lines(s, width, rows), Text("")]
    middle = [Text("─" * width, style="dim"), _mic_line(s, width), _heard_line(s, width),
              *_said_lines(s, width, said_rows)]
    bottom = _bottom_lines(s, width)
    filler = [Text("")] * max(0, height - len(top) - len(middle) - len(bottom))
    lines = [*top, *middle, *filler, *bottom]
    if len(lines) > height:  # a tiny terminal: keep the header, the digits and the input line
        lines = [*lines[: height - 1], bottom[-1]] if height > 1 else [bottom[-1]]
    for line in lines:
        line.no_wrap = True
        line.overflow = "crop"
        line.truncate(width)
    return lines


def screen_text(s: ScreenSnapshot, width: int = 80, height: int = 24) -> str:
    """The screen as plain text (tests, and the last picture printed when the screen closes)."""
    return "\n".join(line.plain.rstrip() for line in compose(s, width, height))
