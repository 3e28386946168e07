"""What the demo's "therapist" says, and when: lines triggered by the coach's speech.

Each line waits for a coach utterance containing ``after`` (lines are used in
order, each once), then speaks ``words`` ``delay_s`` seconds after that
utterance *ended* — or, for a barge-in line, ``delay_s`` after it *started*,
cutting the coach off.  When the recognizer did not catch the words — nothing
decided, or another command than the one meant — the "therapist" says them
again, like a person would, trying the next phrasing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLine:
    after: str  # lower-case fragment of a coach utterance
    words: tuple[str, ...]  # phrasings to try, in order
    intent: str  # the command meant (an Intent value): anything else heard is a miss
    delay_s: float = 0.8
    barge_in: bool = False


DEMO_SCRIPT: tuple[DemoLine, ...] = (
    DemoLine("routine name", ("start heel routine", "start heel spur routine"), "start_routine"),
    DemoLine("how is the pain", ("pain four", "pain level four"), "pain"),
    # "yes" to both safety questions shows the coach's safety advice and its "continue?" question.
    DemoLine("yes or no", ("yes", "yeah"), "yes"),
    DemoLine("yes or no", ("yes", "yeah"), "yes"),
    DemoLine("yes or no", ("yes", "yeah"), "yes"),
    DemoLine("yes or no", ("yes", "yeah"), "yes"),
    DemoLine("left foot", ("how much time is left", "time left", "how long left"), "time_left"),
    DemoLine("right foot", ("pause", "wait"), "pause", delay_s=0.5),
    DemoLine("say resume", ("resume", "continue"), "resume", delay_s=2.0),
    DemoLine("step two", ("stop",), "stop", delay_s=1.5, barge_in=True),
    DemoLine("say resume", ("resume", "continue"), "resume", delay_s=1.0),
    DemoLine("how is the pain", ("pain two", "pain level two"), "pain"),
)


class DemoUser:
    """Follows the script: told what the coach starts/ends saying, answers with ``(at, words)`` cues."""

    def __init__(self, script: tuple[DemoLine, ...] = DEMO_SCRIPT, retries: int = 4,
                 retry_after_s: float = 2.5) -> None:
        self.script = list(script)
        self.retries = retries
        self.retry_after_s = retry_after_s
        self._line = 0
        self._attempt = 0
        self._pending: DemoLine | None = None  # said, waiting to be heard

    @property
    def done(self) -> bool:
        return self._line >= len(self.script) and self._pending is None

    def _current(self) -> DemoLine | None:
        return self.script[self._line] if self._line < len(self.script) else None

    def coach_started(self, text: str, at: float) -> tuple[float, str] | None:
        line = self._current()
        if line is not None and line.barge_in and line.after in text.lower():
            return self._speak(line, at + line.delay_s)
        return None

    def coach_ended(self, text: str, at: float) -> tuple[float, str] | None:
        line = self._current()
        if line is not None and not line.barge_in and line.after in text.lower():
            return self._speak(line, at + line.delay_s)
        return None

    def _speak(self, line: DemoLine, at: float) -> tuple[float, str]:
        self._line += 1
        self._pending, self._attempt = line, 0
        return at, line.words[0]

    @property
    def meant(self) -> str | None:
        """The intent of the words said last, while they wait to be understood."""
        return self._pending.intent if self._pending else None

    def heard(self) -> None:
        """The recognizer understood the last words as meant."""
        self._pending = None

    def missed(self, at: float) -> tuple[float, str] | None:
        """The recognizer did not catch the last words: say them again (another phrasing) or give up."""
        line = self._pending
        if line is None or self._attempt >= self.retries:
            self._pending = None
            return None
        self._attempt += 1
        return at + self.retry_after_s, line.words[self._attempt % len(line.words)]
