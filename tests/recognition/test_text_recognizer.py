"""The text recognizer: typed or scripted lines through the same grammar."""

import numpy as np

from fixtures.grammar_routines import grammar_routines
from voice_coach.grammar import Grammar
from voice_coach.intents import Intent
from voice_coach.recognition.text_recognizer import TextRecognizer

GRAMMAR = Grammar.build(grammar_routines())


def test_typed_lines():
    rec = TextRecognizer(GRAMMAR)
    assert [h.command.intent for h in rec.hear("Next!")] == [Intent.NEXT]
    assert rec.hear("stop by the front desk") == []
    assert rec.rejected == ["stop by the front desk"]
    heard = rec.hear("add 2 minutes", at_s=3.5)
    assert heard[0].command.slots == {"seconds": 120} and heard[0].at_s == 3.5 and heard[0].text == "add two minutes"


def test_scripted_lines_follow_the_audio_clock():
    rec = TextRecognizer(GRAMMAR, [(1.5, "pain five"), (0.5, "pause"), (2.5, "hello there"), (9.0, "stop")])
    assert rec.accept(np.zeros(4000, np.int16)) == []  # 0.25 s
    assert [(h.text, h.at_s) for h in rec.accept(np.zeros(12000, np.int16))] == [("pause", 0.5)]  # 1.0 s
    assert [h.text for h in rec.accept(np.zeros(32000, np.int16))] == ["pain five"]  # 3.0 s: "hello there" rejected
    rec.reset()
    assert [(h.text, h.at_s) for h in rec.flush()] == [("stop", 9.0)]
    assert rec.rejected == ["hello there"]


def test_wake_word_is_honoured():
    rec = TextRecognizer(Grammar.build(grammar_routines(), wake_word="coach"))
    assert rec.hear("next") == []
    assert [h.text for h in rec.hear("coach next")] == ["coach next"]
    assert [h.text for h in rec.hear("stop")] == ["stop"]
