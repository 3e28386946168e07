"""Holds the current session state and forwards events to the pure engine.

The engine is a set of pure functions over an immutable state; the loop only
needs "feed this, give me the actions" — this class keeps the state between
calls so the loop (and tests' fake engines) share one small interface.
"""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from voice_coach.config import SessionSettings, SpeechSettings
from voice_coach.session.messages import Action, Event


class SessionDriver(Protocol):
    def start(self, now: float) -> Sequence[Action]: ...

    def step(self, event: Event, now: float) -> Sequence[Action]: ...

    def next_deadline(self) -> float | None: ...

    def describe(self, now: float) -> Any: ...


class EngineDriver:
    """The real session engine (voice_coach.session) behind ``SessionDriver``."""

    def __init__(self, library: Any, settings: SessionSettings, routine_id: str | None = None,
                 resume: Any = None, speech: SpeechSettings | None = None) -> None:
        """``speech``: the starting rate/volume, so "slower"/"faster" answers match what is heard."""
        self._library = library
        self._settings = settings
        self._speech = speech
        self._routine_id = routine_id
        self._resume = resume
        self._state: Any = None

    def start(self, now: float) -> Sequence[Action]:
        from voice_coach.session import new_session

        self._state, actions = new_session(self._library, self._settings, now,
                                           routine_id=self._routine_id, resume=self._resume,
                                           speech=self._speech)
        return actions

    def step(self, event: Event, now: float) -> Sequence[Action]:
        from voice_coach.session import step

        self._state, actions = step(self._state, event, now)
        return actions

    def next_deadline(self) -> float | None:
        from voice_coach.session import next_deadline

        return next_deadline(self._state)

    def describe(self, now: float) -> Any:
        from voice_coach.session import describe

        return describe(self._state, now)
