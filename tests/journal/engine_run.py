"""Drive the real session engine on a virtual clock and journal every Log it emits.

The driver answers like a cooperative user: a pain score when asked, "no" to
safety questions, "next" when a manual step waits.  Speech finishes half a
second after it starts; clock ticks arrive exactly at ``next_deadline``.
"""

from __future__ import annotations

from datetime import timedelta

from voice_coach.config import SessionSettings
from voice_coach.intents import Command, Intent
from voice_coach.journal import Journal, SessionRecorder
from voice_coach.routines.library import RoutineLibrary
from voice_coach.routines.model import Routine, SafetyQuestion, Step, StepKind
from voice_coach.session import Phase, Stage, new_session, next_deadline, step
from voice_coach.session.messages import CommandHeard, EndSession, Log, Say, SpeechFinished, Tick

from tests.journal.scripted import T0

ROLL_S, THUMB_S, PROGRESS_S = 40, 30, 5.0
ROUTINE = Routine(
    id="journal-test", title="Journal test", source="test.txt", spoken_names=("journal test",),
    intro="A routine for journal tests.",
    steps=(
        Step("roll", "Ball rolling", StepKind.TIMED, "Roll the ball.", seconds=ROLL_S, per_foot=True),
        Step("oil", "Oil", StepKind.MANUAL, "Warm some oil."),
        Step("thumb", "Thumb circles", StepKind.TIMED, "Circle with the thumbs.", seconds=THUMB_S, per_foot=True),
    ),
    safety_questions=(SafetyQuestion("Any open wounds?", "Avoid them."),),
)
LIBRARY = RoutineLibrary([ROUTINE])


class EngineRun:
    def __init__(self, journal: Journal, client: str | None, start_s: float = 0.0, routine_id: str | None = None,
                 resume=None, resumed_session_id: int | None = None, pain=(6, 3)) -> None:
        self.t = start_s
        self.pain = pain
        self.logs: list[tuple[float, Log]] = []  # (virtual time, log)
        self.ended = False
        self._speaking: list[int] = []
        self.recorder = SessionRecorder(journal, client, resumed_session_id)
        self.state, actions = new_session(LIBRARY, SessionSettings(progress_log_s=PROGRESS_S), self.t,
                                          routine_id, resume)
        self._apply(actions)

    def _apply(self, actions) -> None:
        for action in actions:
            if isinstance(action, Log):
                self.logs.append((self.t, action))
                self.recorder.record(action, T0 + timedelta(seconds=self.t))
            elif isinstance(action, Say):
                self._speaking.append(action.utterance_id)
            elif isinstance(action, EndSession):
                self.ended = True

    def _send(self, event) -> None:
        self.state, actions = step(self.state, event, self.t)
        self._apply(actions)

    def hear(self, intent: Intent, **slots) -> None:
        self.t += 1.0
        self._send(CommandHeard(Command(intent, slots)))

    def _settle_speech(self) -> None:
        while self._speaking:
            self.t += 0.5
            self._send(SpeechFinished(self._speaking.pop(0)))

    def _answer(self) -> bool:
        phase = self.state.phase
        if phase is Phase.PAIN_BEFORE:
            self.hear(Intent.PAIN, level=self.pain[0])
        elif phase is Phase.PAIN_AFTER:
            self.hear(Intent.PAIN, level=self.pain[1])
        elif phase in (Phase.SAFETY, Phase.SAFETY_CONTINUE):
            self.hear(Intent.NO)
        elif phase is Phase.STEP and self.state.stage is Stage.WAITING:
            self.hear(Intent.NEXT)
        else:
            return False
        return True

    def run(self, until_s: float = float("inf")) -> None:
        """Play the session until it ends or the clock would pass ``until_s`` (a crash at that moment)."""
        for _ in range(10_000):
            self._settle_speech()
            if self.ended or self.t >= until_s or self._answer():
                if self.ended or self.t >= until_s:
                    return
                continue
            deadline = next_deadline(self.state)
            assert deadline is not None, f"engine waits for nothing in {self.state.phase}"
            if deadline > until_s:
                self.t = until_s
                return
            self.t = max(self.t, deadline)
            self._send(Tick())
        raise AssertionError("the session did not end")
