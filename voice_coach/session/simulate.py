"""A whole session on a virtual clock: scripted utterances in, a transcript out.

Deterministic and instant: the simulated speaker takes ``words × 60 / rate``
seconds per utterance and reports ``SpeechFinished``; ticks are delivered
exactly at ``next_deadline``.  At equal times speech ends first, then clock
ticks, then the script's utterance (a fixed, documented order).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from voice_coach.config import SessionSettings, SpeechSettings
from voice_coach.errors import VoiceCoachError
from voice_coach.intents import Command
from voice_coach.session.engine import new_session, next_deadline, step
from voice_coach.session.messages import (Action, AdjustSpeech, Chime, CommandHeard, EndSession, Log,
                                          Say, SpeechFinished, StartTimer, StopSpeaking, StopTimer, Tick)
from voice_coach.session.state import Phase, ResumePoint

MAX_VIRTUAL_S = 4 * 3600.0
LINE_FORMAT = "<seconds> <utterance>, e.g. '12.5 pause' (blank lines and # comments are allowed)"


class ScriptError(VoiceCoachError):
    """A simulate script line cannot be read."""


@dataclass(frozen=True)
class ScriptLine:
    at: float  # seconds from the start of the session
    text: str
    line_no: int


@dataclass(frozen=True)
class Entry:
    """One line of the transcript.  kind: say, chime, stop_speaking, speech, heard,
    not_understood, log, timer, end, note."""

    t: float
    who: str  # "coach", "you" or "sim"
    kind: str
    text: str
    data: Mapping[str, object] = field(default_factory=dict)


def parse_script(source: str, label: str) -> list[ScriptLine]:
    """Read ``<seconds> <utterance>`` lines; times must not go backwards."""
    lines: list[ScriptLine] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, words = line.partition(" ")
        try:
            at = float(head)
        except ValueError:
            at = float("nan")
        if not at >= 0 or at == float("inf") or not words.strip():
            raise ScriptError(f"{label}, line {number}: cannot read {line!r}", f"write each line as {LINE_FORMAT}")
        if lines and at < lines[-1].at:
            raise ScriptError(f"{label}, line {number}: time {head} is before the previous line's {lines[-1].at:g}",
                              "keep the script lines in time order")
        lines.append(ScriptLine(at, words.strip(), number))
    return lines


def read_script(path: Path | str) -> list[ScriptLine]:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"{path}: cannot read the script ({exc})",
                          f"give a UTF-8 text file with lines {LINE_FORMAT}") from None
    return parse_script(source, str(path))


def speech_seconds(text: str, rate_wpm: int) -> float:
    return len(text.split()) * 60.0 / max(rate_wpm, 1)


class Simulation:
    """Runs the engine against a script; ``entries`` is the transcript."""

    def __init__(self, library, parse: Callable[[str], Command | None],
                 settings: SessionSettings | None = None, speech: SpeechSettings | None = None,
                 routine_id: str | None = None, resume: ResumePoint | None = None,
                 max_s: float = MAX_VIRTUAL_S) -> None:
        self.library = library
        self.parse = parse
        self.settings = settings or SessionSettings()
        self.speech = speech or SpeechSettings()
        self.routine_id = routine_id
        self.resume = resume
        self.max_s = max_s
        self.entries: list[Entry] = []
        self.actions: list[tuple[float, Action]] = []  # every action with its time, for tests
        self.state = None
        self.t = 0.0
        self.ended = False
        self._rate = self.speech.rate_wpm
        self._volume = self.speech.volume
        self._queue: deque[tuple[int, str]] = deque()
        self._current: tuple[int, float] | None = None  # (utterance id, end time)
        self._finished: deque[int] = deque()

    # ---- the speaker ----------------------------------------------------------
    def _apply(self, actions: Iterable[Action]) -> None:
        for action in actions:
            self.actions.append((self.t, action))
            if isinstance(action, Say):
                self._queue.append((action.utterance_id, action.text))
                self._start_next_utterance()
            elif isinstance(action, StopSpeaking):
                if self._current is not None or self._queue:
                    self._note("coach", "stop_speaking", "(stops speaking)")
                if self._current is not None:
                    self._finished.append(self._current[0])
                self._finished.extend(uid for uid, _ in self._queue)
                self._current = None
                self._queue.clear()
            elif isinstance(action, Chime):
                self._note("coach", "chime", f"(chime: {action.kind})")
            elif isinstance(action, AdjustSpeech):
                self._rate += action.rate_delta_wpm
                self._volume = round(self._volume + action.volume_delta, 3)
                self._note("coach", "speech", f"(speech rate {self._rate} wpm)" if action.rate_delta_wpm
                           else f"(volume {self._volume:g})")
            elif isinstance(action, Log):
                self._note("coach", "log", action.kind, dict(action.data))
            elif isinstance(action, (StartTimer, StopTimer)):
                seconds = getattr(action, "seconds", None)
                self._note("coach", "timer", f"{type(action).__name__} {action.name}",
                           {"name": action.name, **({"seconds": seconds} if seconds is not None else {})})
            elif isinstance(action, EndSession):
                self.ended = True
                self._note("coach", "end", "(session ended)")

    def _start_next_utterance(self) -> None:
        if self._current is None and self._queue:
            uid, text = self._queue.popleft()
            self._current = (uid, self.t + speech_seconds(text, self._rate))
            self._note("coach", "say", text)

    def _note(self, who: str, kind: str, text: str, data: Mapping[str, object] | None = None) -> None:
        self.entries.append(Entry(round(self.t, 6), who, kind, text, data or {}))

    def _deliver(self, event) -> None:
        self.state, actions = step(self.state, event, self.t)
        self._apply(actions)

    # ---- the loop -----------------------------------------------------------------
    def run(self, script: Iterable[ScriptLine]) -> list[Entry]:
        pending = deque(script)
        self.state, actions = new_session(self.library, self.settings, 0.0, self.routine_id, self.resume,
                                          self.speech)
        self._apply(actions)
        last_tick: float | None = None
        while True:
            if self._finished:
                self._deliver(SpeechFinished(self._finished.popleft()))
                continue
            if self.ended and self._current is None:
                if pending:
                    self._note("sim", "note", f"(session over; {len(pending)} script line(s) not used)")
                return self.entries
            deadline = None if self.ended else next_deadline(self.state)
            times = [x for x in (self._current[1] if self._current else None, deadline,
                                 None if self.ended or not pending else pending[0].at) if x is not None]
            if not times:
                self._note("sim", "note", "(waiting for a command; end of script)")
                return self.entries
            upcoming = min(times)
            if upcoming > self.max_s:
                self.t = max(self.t, self.max_s)
                self._note("sim", "note", f"(stopped after {self.max_s / 3600:g} hours of virtual time)")
                return self.entries
            self.t = max(self.t, upcoming)
            if self._current is not None and self._current[1] <= self.t:
                uid = self._current[0]
                self._current = None
                self._finished.append(uid)
                self._start_next_utterance()
            elif deadline is not None and deadline <= self.t:
                if last_tick == deadline and next_deadline(self.state) == deadline:
                    raise RuntimeError(f"engine deadline {deadline} did not move after a tick")
                last_tick = deadline
                self._deliver(Tick())
            else:
                self._hear(pending.popleft())

    def _hear(self, line: ScriptLine) -> None:
        command = self.parse(line.text)
        if command is None:
            self._note("you", "not_understood", line.text)
            return
        self._note("you", "heard", line.text, {"intent": str(command.intent), **dict(command.slots)})
        self._deliver(CommandHeard(command))

    @property
    def phase(self) -> Phase:
        return self.state.phase


def clock(t: float) -> str:
    minutes, seconds = divmod(int(t), 60)
    return f"{minutes:02d}:{seconds:02d}"


def format_entry(entry: Entry) -> str | None:
    """The human transcript line of an entry, None for entries only JSON shows."""
    if entry.kind in ("log", "timer"):
        return None
    if entry.kind == "not_understood":
        return f"[{clock(entry.t)}] you: {entry.text}  (not a command)"
    return f"[{clock(entry.t)}] {entry.who}: {entry.text}"


def entry_json(entry: Entry) -> dict[str, object]:
    record: dict[str, object] = {"t": round(entry.t, 3), "who": entry.who, "kind": entry.kind, "text": entry.text}
    if entry.data:
        record["data"] = dict(entry.data)
    return record
