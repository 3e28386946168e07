"""Runs the demo: the real engine, recognizer and gate on one virtual clock and one timeline.

``speed`` N shortens the demo routine's timers N-fold; speech, chimes, cues and
the scripted therapist all keep real time on the same clock, so every spoken
time is true when it is heard.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from voice_coach.config import Settings, SpeechSettings
from voice_coach.live.clock import EventClock
from voice_coach.live.demo.routine import demo_library
from voice_coach.live.demo.script import DemoUser
from voice_coach.live.demo.timeline import Timeline, TimelineChimes, TimelineMicrophone, TimelineSpeaker
from voice_coach.live.engine_driver import EngineDriver
from voice_coach.live.inbox import HeardCommand, InputClosed, SpeechEnded, SpeechStarted
from voice_coach.live.loop import LiveLoop

# The "therapist" speaks with another voice than the coach so the two are told apart by ear.
USER_VOICE = SpeechSettings(voice="en-us+m3", rate_wpm=150, volume=1.0)


@dataclass(frozen=True)
class UserSpeaks:
    words: str


@dataclass
class DemoResult:
    transcript: list[str] = field(default_factory=list)
    audio: object = None  # int16 16 kHz mix
    heard: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    completed: bool = False


class DemoLoop(LiveLoop):
    """The live loop plus the scripted "therapist" and a transcript."""

    def __init__(self, *args, user: DemoUser, mic: TimelineMicrophone, out: TextIO, **kw) -> None:
        super().__init__(*args, **kw)
        self.user = user
        self.mic = mic
        self.out = out
        self.demo = DemoResult()

    def _print(self, who: str, text: str) -> None:
        t = self.clock.now()
        line = f"[{int(t // 60):02d}:{t % 60:04.1f}] {who:<6} {text}"
        self.demo.transcript.append(line)
        self.out.write(line + "\n")
        self.out.flush()

    def handle(self, item) -> None:
        if isinstance(item, UserSpeaks):
            self._user_speaks(item.words)
            return
        super().handle(item)
        if isinstance(item, SpeechStarted):
            text = self.speaker.texts.get(item.utterance_id, "")
            self._print("coach:", text)
            self._schedule(self.user.coach_started(text, item.at))
        elif isinstance(item, SpeechEnded):
            if item.utterance_id in self.speaker.cut_off:
                self._print("coach:", "(cut off)")
            self._schedule(self.user.coach_ended(self.speaker.texts.get(item.utterance_id, ""), item.at))

    def _schedule(self, cue) -> None:
        if cue is not None:
            at, words = cue
            self.clock.at(at, UserSpeaks(words))

    def _user_speaks(self, words: str) -> None:
        self._print("you:", f'"{words}"')
        meant = self.user.meant
        # the recognizer hears the whole command plus its decision silence at once (virtual time)
        _, decisions = self.mic.hear(words, self.clock.now())
        for heard, at in decisions:
            self.clock.at(at, HeardCommand(command=heard.command, heard_at=at, text=heard.text,
                                           confidence=heard.confidence))
        if any(str(heard.command.intent) == meant for heard, _ in decisions):
            self.user.heard()
            self.demo.heard.append(words)
            return
        self.demo.missed.append(words)
        if not decisions:
            self._print("", "(the recognizer did not catch that)")
        # misheard as another command: the coach answers that, then the therapist says it again
        self._schedule(self.user.missed(max([self.clock.now(), *(at for _, at in decisions)])))

    def finish_transcript(self) -> None:
        """The goodbye was queued when the session ended: show the rest of what the coach says."""
        while self.clock.pending():
            item = self.clock.wait(self.inbox, None)
            if isinstance(item, SpeechStarted):
                self._print("coach:", self.speaker.texts.get(item.utterance_id, ""))

    def _note(self, kind: str, text: str) -> None:
        if kind in ("heard", "echo", "chime"):
            self._print(f"{kind}:", text)


def run_demo(settings: Settings, library, recognizer, speed: float = 1.0, out: TextIO | None = None) -> DemoResult:
    clock = EventClock(0.0, idle=lambda: InputClosed("the demo script is over"))
    timeline = Timeline()
    speaker = TimelineSpeaker(clock, timeline, settings.speech)
    chimes = TimelineChimes(clock, timeline, settings.audio.chime_volume)
    mic = TimelineMicrophone(recognizer, timeline, USER_VOICE)
    engine = EngineDriver(demo_library(library, speed), settings.session, speech=settings.speech)
    loop = DemoLoop(engine, speaker, clock, chimes=chimes, user=DemoUser(), mic=mic, out=out or sys.stdout)
    result = loop.run()
    loop.finish_transcript()
    loop.demo.audio = timeline.mix()
    loop.demo.completed = result.ended_by == "session"
    return loop.demo
