"""Collects the actions of one engine step and hands out utterance ids.

The engine stays pure: this collector lives only for the duration of one
``step`` call and its result is folded back into the new immutable state.
"""

from __future__ import annotations

import dataclasses

from voice_coach.session.messages import Action, Log, Say, StopSpeaking
from voice_coach.session.state import SessionState, Utterance

# A step's "…, begin." report may never come (a speech engine that hangs); the
# timer then starts anyway after the text has had a slow reading.
SPEECH_FALLBACK_BASE_S = 5.0
SPEECH_FALLBACK_PER_WORD_S = 1.0


class Output:
    def __init__(self, state: SessionState) -> None:
        self.actions: list[Action] = []
        self.next_id = state.next_utterance_id
        self.unfinished: dict[int, Utterance] = {u.id: u for u in state.unfinished}

    @property
    def speaking(self) -> set[int]:
        return set(self.unfinished)

    def say(self, text: str, resay: bool = True) -> int:
        """Queue ``text``; ``resay=False`` for what is only true now (cues, replies)."""
        utterance_id = self.next_id
        self.next_id += 1
        self.unfinished[utterance_id] = Utterance(utterance_id, text, resay)
        self.actions.append(Say(text, utterance_id))
        return utterance_id

    def finished(self, utterance_id: int) -> None:
        self.unfinished.pop(utterance_id, None)

    def stop_speaking(self) -> list[Utterance]:
        """Silence the speaker; returns what was cut off or dropped, in order."""
        self.actions.append(StopSpeaking())
        cut = [self.unfinished[i] for i in sorted(self.unfinished)]
        self.unfinished.clear()
        return cut

    def mark_replies(self, first_id: int) -> None:
        """Utterances from ``first_id`` on answer a command: never said again after a cut-in."""
        for uid, u in self.unfinished.items():
            if uid >= first_id:
                self.unfinished[uid] = dataclasses.replace(u, resay=False)

    def log(self, kind: str, **data: object) -> None:
        self.actions.append(Log(kind, data))

    def emit(self, action: Action) -> None:
        self.actions.append(action)

    def fold(self, state: SessionState) -> SessionState:
        ordered = tuple(self.unfinished[i] for i in sorted(self.unfinished))
        return dataclasses.replace(state, next_utterance_id=self.next_id, unfinished=ordered)


def speech_fallback_s(text: str) -> float:
    return SPEECH_FALLBACK_BASE_S + SPEECH_FALLBACK_PER_WORD_S * len(text.split())
