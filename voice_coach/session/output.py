"""Collects the actions of one engine step and hands out utterance ids.

The engine stays pure: this collector lives only for the duration of one
``step`` call and its result is folded back into the new immutable state.
"""

from __future__ import annotations

import dataclasses

from voice_coach.session.messages import Action, Log, Say, StopSpeaking
from voice_coach.session.state import SessionState

# A step's "…, begin." report may never come (a speech engine that hangs); the
# timer then starts anyway after the text has had a slow reading.
SPEECH_FALLBACK_BASE_S = 5.0
SPEECH_FALLBACK_PER_WORD_S = 1.0


class Output:
    def __init__(self, state: SessionState) -> None:
        self.actions: list[Action] = []
        self.next_id = state.next_utterance_id
        self.speaking = set(state.speaking)

    def say(self, text: str) -> int:
        utterance_id = self.next_id
        self.next_id += 1
        self.speaking.add(utterance_id)
        self.actions.append(Say(text, utterance_id))
        return utterance_id

    def stop_speaking(self) -> None:
        self.actions.append(StopSpeaking())
        self.speaking.clear()

    def log(self, kind: str, **data: object) -> None:
        self.actions.append(Log(kind, data))

    def emit(self, action: Action) -> None:
        self.actions.append(action)

    def fold(self, state: SessionState) -> SessionState:
        return dataclasses.replace(state, next_utterance_id=self.next_id, speaking=frozenset(self.speaking))


def speech_fallback_s(text: str) -> float:
    return SPEECH_FALLBACK_BASE_S + SPEECH_FALLBACK_PER_WORD_S * len(text.split())
