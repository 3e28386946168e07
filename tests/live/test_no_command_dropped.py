"""The live loop with the real engine: no recognized command is dropped while the coach talks.

Each intent is heard in the middle of a coach sentence (the routine intro, and
a step's instructions); the speaker must be stopped and the answer said at the
very clock time the recognizer decided (well within the 1.5 s promise), and
nothing may be set aside as "ignored".
"""

from __future__ import annotations

import pytest

from voice_coach.config import SessionSettings
from voice_coach.intents import Command, Intent
from voice_coach.live.engine_driver import EngineDriver
from voice_coach.live.inbox import HeardCommand
from voice_coach.live.loop import LiveLoop

from tests.live.fakes import FakeSpeaker, ScriptedClock
from tests.session.routines_for_tests import make_library

T0 = 1000.0
SLOTS = {Intent.START_ROUTINE: {"routine": "quick"}, Intent.ADD_TIME: {"seconds": 30}, Intent.PAIN: {"level": 3}}


def command(intent: Intent, at: float) -> HeardCommand:
    return HeardCommand(Command(intent, SLOTS.get(intent, {}), str(intent)), heard_at=at, text=str(intent))


def run_loop(heard: list[HeardCommand]):
    clock = ScriptedClock(T0)
    speaker = FakeSpeaker(clock)
    loop = LiveLoop(EngineDriver(make_library(), SessionSettings(), routine_id="quick"), speaker, clock)
    for item in heard:
        clock.at(item.heard_at, item)
    loop.run()
    return loop, speaker


def playing_at(speaker: FakeSpeaker, at: float) -> str:
    """What the fake speaker was saying at ``at`` (replaying its timing rule and its stops)."""
    spans: list[list] = []  # [start, end, text]
    for kind, t, text in [c for c in speaker.calls if c[1] < at]:
        if kind == "stop":
            spans = [[s, min(e, t), x] for s, e, x in spans if s < t]
        elif kind == "say":
            start = max([t] + [e for _, e, _ in spans])
            spans.append([start, start + max(0.3, len(text.split()) / speaker.words_per_s), text])
    return next((x for s, e, x in spans if s <= at < e), "")


def answered_at_once(speaker: FakeSpeaker, at: float) -> bool:
    calls = [(kind, t) for kind, t, _ in speaker.calls if t == at]
    return calls[:1] == [("stop", at)] and ("say", at) in calls


@pytest.mark.parametrize("intent", list(Intent))
def test_a_command_heard_during_the_intro_is_answered_at_once(intent):
    loop, speaker = run_loop([command(intent, T0 + 1.0)])
    assert loop.result.echoes == []
    assert answered_at_once(speaker, T0 + 1.0), speaker.calls[:6]


@pytest.mark.parametrize("intent", list(Intent))
def test_a_command_heard_during_a_steps_instructions_is_answered_at_once(intent):
    # "skip" jumps from the intro to the pain question, "pain two" answers it, then the step is announced
    first = [command(Intent.SKIP, T0 + 1.0), command(Intent.PAIN, T0 + 10.0)]
    probe_at = T0 + 11.0
    loop, speaker = run_loop([*first, command(intent, probe_at)])
    assert playing_at(speaker, probe_at).startswith("First, step one of one: Short press.")
    assert answered_at_once(speaker, probe_at), [c for c in speaker.calls if c[1] >= T0 + 10.0][:6]
