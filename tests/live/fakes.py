"""Fakes for the live loop: a scripted clock, a speaker that records, a tiny engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from voice_coach.intents import Command, Intent
from voice_coach.live.clock import EventClock
from voice_coach.live.inbox import HeardCommand, InboxItem, InputClosed, SpeechEnded, SpeechStarted
from voice_coach.session.messages import (Chime, CommandHeard, EndSession, Event, Say, SpeechFinished,
                                          StopSpeaking, Tick)


class ScriptedClock(EventClock):
    """Virtual time for loop tests: once nothing is left, the script is over."""

    def __init__(self, start: float = 1000.0) -> None:
        super().__init__(start, idle=lambda: InputClosed("script done"))


class FakeSpeaker:
    """Speaks one utterance after another at ``words_per_s``; records every call with its time."""

    def __init__(self, clock: ScriptedClock, words_per_s: float = 2.5) -> None:
        self.clock = clock
        self.words_per_s = words_per_s
        self.calls: list[tuple[str, float, Any]] = []
        self.busy_until = clock.now()
        self._playing: list[tuple[int, float, float]] = []  # (id, start, end)

    def say(self, text: str, utterance_id: int) -> None:
        start = max(self.clock.now(), self.busy_until)
        end = start + max(0.3, len(text.split()) / self.words_per_s)
        self.busy_until = end
        self._playing.append((utterance_id, start, end))
        self.calls.append(("say", self.clock.now(), text))
        self.clock.at(start, SpeechStarted(utterance_id, start))
        self.clock.at(end, SpeechEnded(utterance_id, end))

    def stop(self) -> None:
        now = self.clock.now()
        self.calls.append(("stop", now, None))
        self.clock.cancel(lambda item: isinstance(item, (SpeechStarted, SpeechEnded))
                          and any(item.utterance_id == p[0] for p in self._playing if p[2] > now))
        for uid, start, end in self._playing:
            if end > now:
                if start <= now:
                    pass  # started, cut off now
                self.clock.at(now, SpeechEnded(uid, now))
        self._playing = [p for p in self._playing if p[2] <= now]
        self.busy_until = now

    def speaking_at(self, t: float) -> bool:
        return any(s <= t < e for _, s, e in self._playing)

    def adjust(self, rate_delta_wpm: int, volume_delta: float) -> None:
        self.calls.append(("adjust", self.clock.now(), (rate_delta_wpm, volume_delta)))

    def wait_idle(self, timeout: float) -> bool:
        return True

    def close(self) -> None:
        pass

    def said(self) -> list[str]:
        return [c[2] for c in self.calls if c[0] == "say"]


class RecordingChimes:
    def __init__(self, clock) -> None:
        self.clock = clock
        self.played: list[tuple[float, str]] = []

    def play(self, kind: str) -> None:
        self.played.append((self.clock.now(), kind))


@dataclass
class CueEngine:
    """A tiny stand-in for the session engine: fixed cues at fixed offsets, simple replies.

    It checks the loop's mechanics (ticks on deadlines, command routing, speech
    ids) independently of the real engine's wording.
    """

    cues: list[tuple[float, str]]  # (seconds after start, text)
    received: list[tuple[float, Event]] = field(default_factory=list)
    _t0: float = 0.0
    _next_id: int = 0
    _paused_at: float | None = None

    def _say(self, text: str) -> Say:
        self._next_id += 1
        return Say(text, self._next_id)

    def start(self, now: float):
        self._t0 = now
        return [self._say("Welcome. This is a long introduction sentence that keeps the coach talking.")]

    def next_deadline(self):
        if self._paused_at is not None or not self.cues:
            return None
        return self._t0 + self.cues[0][0]

    def step(self, event: Event, now: float):
        self.received.append((now, event))
        if isinstance(event, Tick):
            due = self.next_deadline()
            if due is not None and now >= due:
                _, text = self.cues.pop(0)
                return [Chime("switch"), self._say(text)]
            return []
        if isinstance(event, SpeechFinished):
            return []
        assert isinstance(event, CommandHeard)
        intent = event.command.intent
        if intent is Intent.STOP:
            self._paused_at = now
            return [StopSpeaking(), self._say("Stopped. Say resume to go on.")]
        if intent is Intent.RESUME and self._paused_at is not None:
            self._t0 += now - self._paused_at
            self._paused_at = None
            return [self._say("Resuming.")]
        if intent is Intent.END:
            return [self._say("Goodbye."), EndSession()]
        return [self._say(f"You said {intent}.")]

    def describe(self, now: float):
        return None


def heard(intent: Intent, at: float, **kw) -> HeardCommand:
    return HeardCommand(command=Command(intent, text=str(intent)), heard_at=at, text=str(intent), **kw)
