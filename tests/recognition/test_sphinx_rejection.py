"""The rejection cues and policy, on hand-built evidence (no audio)."""

from __future__ import annotations

import pytest

from voice_coach.grammar.sphinx_grammar import SphinxLexicon
from voice_coach.recognition.sphinx_rejection import Evidence, RejectionPolicy


@pytest.fixture(scope="module")
def lexicon() -> SphinxLexicon:
    return SphinxLexicon.for_words(["stop", "go", "back"], allow_espeak=False)


def evidence(lexicon, text, heard_phones, *, word_span=(20, 60), frames=100, speech=range(20, 61)):
    """Evidence for ``text`` whose free phone loop heard ``heard_phones`` spread over the word span."""
    start, end = word_span
    step = max(1, (end - start) // max(1, len(heard_phones)))
    phones = [(p, start + i * step, start + (i + 1) * step - 1) for i, p in enumerate(heard_phones)]
    words = [("<sil>", 0, start - 1), (text.split()[0], start, end), ("<sil>", end + 1, frames - 1)]
    silent = [i not in speech for i in range(frames)]
    return Evidence.collect(text=text, words=words, grammar_score=-5000.0, phone_score=-4000.0,
                            phones=phones, lexicon=lexicon, silent=silent)


def test_cues_of_a_clean_command(lexicon):
    ev = evidence(lexicon, "go back", ["G", "OW", "B", "AE", "K"])
    f = ev.features()
    assert f["distance"] == 0.0 and f["ratio"] == 1.0 and f["coverage"] == 1.0
    assert f["gap"] == pytest.approx(1000.0 / 41 / 10.0)
    accepted, confidence = RejectionPolicy.default().judge(ev)
    assert accepted and 0.5 <= confidence <= 1.0


def test_speech_outside_the_command_words_is_rejected(lexicon):
    # "go back to work after this": the words cover only the first part of the speech.
    ev = evidence(lexicon, "go back", ["G", "OW", "B", "AE", "K"], speech=range(20, 140), frames=160)
    assert ev.features()["coverage"] < 0.5
    assert RejectionPolicy.default().judge(ev)[0] is False


def test_different_sounds_are_rejected_even_when_the_length_fits(lexicon):
    ev = evidence(lexicon, "go back", ["HH", "AW", "M", "AH", "CH"])
    assert ev.features()["distance"] == 1.0
    assert RejectionPolicy.default().judge(ev)[0] is False


def test_stop_has_its_own_limits_and_no_limits_accepts_all(lexicon):
    policy = RejectionPolicy.default()
    assert policy.limits_for("stop") != policy.limits_for("go back")
    ev = evidence(lexicon, "stop", ["S", "T", "AA", "P"])
    assert policy.judge(ev)[0]
    assert RejectionPolicy().judge(evidence(lexicon, "go back", ["HH"] * 20))[0]
