"""A fake-clock driver for the engine: events in, timestamped actions out."""

from __future__ import annotations

from voice_coach.config import SessionSettings, SpeechSettings
from voice_coach.intents import Command, Intent
from voice_coach.session import new_session, next_deadline, step
from voice_coach.session.messages import Action, CommandHeard, Say, SpeechFinished, Tick
from voice_coach.session.state import ResumePoint

START_S = 1000.0  # a monotonic clock never starts at zero; catch absolute/relative mix-ups


class Driver:
    def __init__(self, library, routine_id: str | None = None, resume: ResumePoint | None = None,
                 settings: SessionSettings | None = None, speech: SpeechSettings | None = None,
                 now: float = START_S) -> None:
        self.t = now
        self.settings = settings or SessionSettings()
        self.state, actions = new_session(library, self.settings, now, routine_id, resume, speech)
        self.history: list[tuple[float, Action]] = [(now, a) for a in actions]
        self.last: list[Action] = actions

    def send(self, event, at: float | None = None) -> list[Action]:
        if at is not None:
            assert at >= self.t, "time must not go backwards"
            self.t = at
        self.state, actions = step(self.state, event, self.t)
        self.history += [(self.t, a) for a in actions]
        self.last = actions
        return actions

    def command(self, intent: Intent, at: float | None = None, **slots) -> list[Action]:
        return self.send(CommandHeard(Command(intent, slots, str(intent))), at)

    def finish_speech(self, at: float | None = None) -> list[Action]:
        """Report every pending utterance finished (in order) at ``at``."""
        produced: list[Action] = []
        while self.state.speaking:
            produced += self.send(SpeechFinished(min(self.state.speaking)), at)
        return produced

    def advance(self, to: float) -> list[tuple[float, Action]]:
        """Tick at every deadline up to ``to`` (speech reported finished at once), then at ``to``."""
        start = len(self.history)
        while True:
            self.finish_speech()
            deadline = next_deadline(self.state)
            if deadline is None or deadline > to:
                break
            self.send(Tick(), max(deadline, self.t))
        self.send(Tick(), to)
        self.finish_speech()
        return self.history[start:]

    def send_tick_at(self, to: float) -> None:
        """Tick at every deadline up to ``to`` without reporting any speech finished."""
        while (deadline := next_deadline(self.state)) is not None and deadline <= to:
            self.send(Tick(), max(deadline, self.t))
        self.send(Tick(), to)

    def said(self, since: int = 0) -> list[str]:
        return [a.text for _, a in self.history[since:] if isinstance(a, Say)]

    def said_at(self, fragment: str) -> list[float]:
        return [t for t, a in self.history if isinstance(a, Say) and fragment in a.text]


def texts(actions) -> list[str]:
    return [a.text for a in actions if isinstance(a, Say)]


def into_first_step(driver: Driver) -> None:
    """From the start of a routine: skip the pain question and answer no to the safety questions."""
    driver.finish_speech()
    driver.command(Intent.SKIP)
    while driver.state.phase == "safety":
        driver.command(Intent.NO)
