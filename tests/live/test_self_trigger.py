"""The coach's own speech, through the real recognizer and the live gate, gives no command."""

from __future__ import annotations

import pytest

from voice_coach.config import Settings
from voice_coach.intents import Intent
from voice_coach.live.gate import SpeechGate
from voice_coach.live.self_trigger import coach_texts, measure
from voice_coach.recognition.factory import make_recognizer
from voice_coach.routines.loader import load_library


@pytest.fixture(scope="module")
def library():
    return load_library(include_user_dir=False)


def test_coach_texts_cover_every_routine_and_the_risky_replies(library):
    texts = coach_texts(library)
    for routine in library.all():
        assert any(routine.title in t for t in texts), routine.id
    # replies that are themselves command words are the worst case; they must be measured
    for risky in ("Slower.", "Louder.", "Paused. Say resume when you are ready."):
        assert risky in texts
    assert any(t.startswith("Next, step") for t in texts)


def test_short_coach_sentences_with_command_words_are_not_taken_as_commands(library):
    # short sentences that contain command words (the coach says one sentence per utterance)
    risky = ("yes or no", "resume", "next", "slower", "louder", "paused", "repeat", "pain", "stop")
    texts = [t for t in coach_texts(library) if len(t.split()) <= 12 and any(w in t.lower() for w in risky)][:14]
    report = measure(texts, make_recognizer(Settings(), library.all(), "sphinx"), gate=SpeechGate())
    # the recognizer alone does hear commands in the coach's speech ...
    assert report.raw >= 3, report.decisions
    # ... and the gate lets none of them through
    assert [d for d in report.accepted] == []
    # every intent is judged by the same rule: heard over the coach, it is its echo unless louder
    assert all("echo" in d.verdict for d in report.decisions)
