"""The whole Vosk code path against the real libvosk, with the tone-language test model.

The tiny model "pronounces" a few words as tones (tests/fixtures/tiny_vosk_model.py);
it does not recognize English.  These tests check that our adapter loads a
model, hands Vosk the grammar, streams audio, reads the real partial/final
JSON, rejects [unk] and low confidence, and reports decision positions.
"""

import numpy as np
import pytest

from fixtures.grammar_routines import grammar_routines
from fixtures.tiny_vosk_model import build, synthesize
from voice_coach.errors import RecognizerError
from voice_coach.grammar import Grammar
from voice_coach.intents import Intent
from voice_coach.recognition.vosk_recognizer import DEFAULT_MIN_CONFIDENCE, VoskRecognizer, VoskTiming

GRAMMAR = Grammar.build(grammar_routines())
LEAD_S, WORD_S, GAP_S = 0.3, 0.3, 0.06


def speech_end_s(n_words):
    return LEAD_S + n_words * WORD_S + (n_words - 1) * GAP_S


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    return build(tmp_path_factory.mktemp("vosk") / "model", GRAMMAR.words() | {"coach"})


def run(recognizer, audio, chunk=1600):
    heard = []
    for start in range(0, len(audio), chunk):
        heard += recognizer.accept(audio[start : start + chunk])
    return heard + recognizer.flush()


def test_a_command_nothing_extends_is_decided_after_a_short_silence(model_dir):
    rec = VoskRecognizer(GRAMMAR, model_dir)
    heard = run(rec, synthesize(["stop"]))
    assert [(h.command.intent, h.text) for h in heard] == [(Intent.STOP, "stop")]
    latency = heard[0].at_s - speech_end_s(1)
    # The fast path: well before Vosk's own 0.5 s endpoint.
    assert rec.timing.short_silence_s <= latency + 0.01 < 0.3
    assert heard[0].confidence == pytest.approx(1.0)


def test_slots_come_through(model_dir):
    heard = run(VoskRecognizer(GRAMMAR, model_dir), synthesize(["pain", "five"]))
    assert len(heard) == 1
    assert heard[0].command.intent is Intent.PAIN and heard[0].command.slots == {"level": 5}
    assert 0.15 < heard[0].at_s - speech_end_s(2) < 0.3


def test_a_command_that_could_grow_waits_longer(model_dir):
    rec = VoskRecognizer(GRAMMAR, model_dir)
    heard = run(rec, synthesize(["next"]))
    assert [h.text for h in heard] == ["next"]
    latency = heard[0].at_s - speech_end_s(1)
    assert rec.timing.extend_silence_s - 0.01 <= latency < 0.5


def test_the_longer_command_wins_when_it_comes(model_dir):
    heard = run(VoskRecognizer(GRAMMAR, model_dir), synthesize(["next", "step"]))
    assert [(h.command.intent, h.text) for h in heard] == [(Intent.NEXT, "next step")]


@pytest.mark.parametrize("words", [["[unk]"], ["pain"], ["stop", "stop"], ["[unk]", "stop"], ["stop", "[unk]"]])
def test_unknown_partial_or_padded_speech_yields_nothing(model_dir, words):
    assert run(VoskRecognizer(GRAMMAR, model_dir), synthesize(words)) == []


def test_silence_yields_nothing(model_dir):
    assert run(VoskRecognizer(GRAMMAR, model_dir), np.zeros(32000, np.int16)) == []


def _ambiguous():
    # "stop" and "yes" tones together, mixed so that the two words' scores nearly tie:
    # Vosk then reports a confidence near 0.5 for whichever word wins.
    mix = synthesize(["stop"]).astype(float) + 0.84 * synthesize(["yes"]).astype(float)
    return np.rint(mix).astype(np.int16)


def test_low_confidence_is_rejected(model_dir):
    lenient = run(VoskRecognizer(GRAMMAR, model_dir, min_confidence=0.0), _ambiguous())
    assert len(lenient) == 1 and lenient[0].command.intent in (Intent.STOP, Intent.YES)
    assert 0.3 < lenient[0].confidence < DEFAULT_MIN_CONFIDENCE
    assert run(VoskRecognizer(GRAMMAR, model_dir), _ambiguous()) == []


def test_several_commands_in_one_stream_with_positions(model_dir):
    pause = np.zeros(16000, np.int16)
    stop, pain = synthesize(["stop"], lead_s=0, tail_s=0), synthesize(["pain", "five"], lead_s=0, tail_s=0)
    audio = np.concatenate([pause, stop, pause, pain, pause])
    heard = run(VoskRecognizer(GRAMMAR, model_dir), audio)
    assert [h.text for h in heard] == ["stop", "pain five"]
    stop_end = 1.0 + WORD_S
    pain_end = stop_end + 1.0 + 2 * WORD_S + GAP_S
    assert 0.15 < heard[0].at_s - stop_end < 0.3
    assert 0.15 < heard[1].at_s - pain_end < 0.3


@pytest.mark.parametrize("chunk", [1, 333, 480, 4000, 10**6])
def test_chunk_size_does_not_change_the_result(model_dir, chunk):
    audio = synthesize(["pain", "five"])
    heard = run(VoskRecognizer(GRAMMAR, model_dir), audio, chunk=chunk)
    assert [h.text for h in heard] == ["pain five"]
    assert 0.15 < heard[0].at_s - speech_end_s(2) < 0.3 or chunk == 10**6  # one block decides at its end


def test_flush_decides_a_command_at_the_end_of_the_stream(model_dir):
    audio = synthesize(["next"], tail_s=0.05)
    rec = VoskRecognizer(GRAMMAR, model_dir)
    assert rec.accept(audio) == []
    heard = rec.flush()
    assert [h.text for h in heard] == ["next"]
    assert heard[0].at_s == pytest.approx(len(audio) / 16000, abs=1e-3)


def test_reset_drops_pending_speech_but_keeps_the_clock(model_dir):
    rec = VoskRecognizer(GRAMMAR, model_dir)
    half = synthesize(["stop"], tail_s=0)
    assert rec.accept(half) == []
    rec.reset()  # e.g. the coach started talking: forget the half-heard "stop"
    heard = rec.accept(np.zeros(8000, np.int16)) + rec.accept(synthesize(["pause"])) + rec.flush()
    assert [h.text for h in heard] == ["pause"]
    pause_end = len(half) / 16000 + 0.5 + speech_end_s(1)
    assert 0.15 < heard[0].at_s - pause_end < 0.3


def test_timing_is_configurable(model_dir):
    rec = VoskRecognizer(GRAMMAR, model_dir, timing=VoskTiming(short_silence_s=0.3, extend_silence_s=0.45))
    heard = run(rec, synthesize(["stop"]))
    assert 0.3 <= heard[0].at_s - speech_end_s(1) + 0.01 < 0.45


class TestWakeWord:
    G = Grammar.build(grammar_routines(), wake_word="coach")

    def test_prefixed_command_counts(self, model_dir):
        heard = run(VoskRecognizer(self.G, model_dir), synthesize(["coach", "pause"]))
        assert [(h.command.intent, h.text) for h in heard] == [(Intent.PAUSE, "coach pause")]

    def test_bare_command_does_not(self, model_dir):
        assert run(VoskRecognizer(self.G, model_dir), synthesize(["pause"])) == []

    def test_bare_stop_always_works(self, model_dir):
        assert [h.command.intent for h in run(VoskRecognizer(self.G, model_dir), synthesize(["stop"]))] == [Intent.STOP]


def test_phrases_with_words_the_model_lacks_are_left_out(tmp_path):
    model = build(tmp_path / "m", GRAMMAR.words() - {"fasciitis"})
    rec = VoskRecognizer(GRAMMAR, model)
    assert rec.missing_words == {"fasciitis"}
    assert rec.phrases and rec.phrases[-1] == "[unk]"
    assert not any("fasciitis" in p for p in rec.phrases)
    assert "start plantar fasciitis" not in rec.phrases and "start heel" in rec.phrases
    assert [h.text for h in run(rec, synthesize(["stop"]))] == ["stop"]


def test_a_wake_word_the_model_lacks_is_an_error(tmp_path):
    model = build(tmp_path / "m", GRAMMAR.words())  # no "coach"
    with pytest.raises(RecognizerError, match="wake word 'coach'"):
        VoskRecognizer(TestWakeWord.G, model)


def test_a_model_without_any_command_word_is_an_error(tmp_path):
    model = build(tmp_path / "m", {"banana"})
    with pytest.raises(RecognizerError, match="none of the command words"):
        VoskRecognizer(GRAMMAR, model)


def test_a_static_graph_model_works_without_a_runtime_grammar(tmp_path):
    # Big Vosk models ship a precompiled HCLG and ignore phrase lists: the full
    # vocabulary is decoded and whole-utterance parsing alone rejects the rest.
    model = build(tmp_path / "static", GRAMMAR.words(), static=True)
    assert not (model / "graph" / "HCLr.fst").exists()
    assert [h.text for h in run(VoskRecognizer(GRAMMAR, model), synthesize(["pain", "five"]))] == ["pain five"]
    assert run(VoskRecognizer(GRAMMAR, model), synthesize(["five", "pain"])) == []  # words, but no command
    assert run(VoskRecognizer(GRAMMAR, model), synthesize(["[unk]", "stop"])) == []
