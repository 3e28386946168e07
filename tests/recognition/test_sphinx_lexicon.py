"""Pronunciations and JSGF generated for PocketSphinx from the phrase grammar."""

from __future__ import annotations

import shutil

import pytest

from voice_coach.errors import RecognizerError
from voice_coach.grammar import Grammar
from voice_coach.grammar.sphinx_grammar import SphinxLexicon, espeak_pronunciation, jsgf_for_phrases, model_dir
from voice_coach.routines.loader import load_library


def model_phones() -> set[str]:
    """Every phone the wheel's acoustic model knows (from its dictionary)."""
    phones: set[str] = set()
    with open(model_dir() / "cmudict-en-us.dict", encoding="utf-8") as lines:
        for line in lines:
            phones.update(line.split()[1:])
    return phones


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return Grammar.build(load_library().all())


def test_every_builtin_grammar_word_has_a_pronunciation_without_espeak(grammar):
    lexicon = SphinxLexicon.for_words(grammar.words(), allow_espeak=False)
    assert set(lexicon.pronunciations) == set(grammar.words())
    for word in ("plantar", "fasciitis", "neuropathy"):
        assert lexicon.pronunciations[word], word
    known = model_phones()
    for word, variants in lexicon.pronunciations.items():
        for phones in variants:
            assert set(phones) <= known, (word, phones)


def test_dictionary_text_lists_alternates_like_cmudict():
    text = SphinxLexicon.for_words(["fasciitis", "stop"], allow_espeak=False).dictionary_text()
    lines = text.splitlines()
    assert "fasciitis F AE S IY AY T IH S" in lines
    assert any(line.startswith("fasciitis(2) ") for line in lines)
    assert any(line.startswith("stop ") for line in lines)


def test_unknown_word_without_espeak_is_a_clear_error():
    with pytest.raises(RecognizerError, match="zxqvbn"):
        SphinxLexicon.for_words(["zxqvbn"], allow_espeak=False)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_spells_new_routine_names_with_model_phones():
    phones = espeak_pronunciation("metatarsalgia")
    assert phones is not None and len(phones) >= 8
    assert set(phones) <= model_phones()
    # A made-up routine name still gets a lexicon entry.
    assert SphinxLexicon.for_words(["tarsalflex"]).pronunciations["tarsalflex"]


def test_jsgf_holds_exactly_the_phrases():
    jsgf = jsgf_for_phrases(["stop", "go back", "stop"])
    assert jsgf.count("( stop )") == 1 and "( go back )" in jsgf
    assert jsgf.startswith("#JSGF V1.0;")
    with pytest.raises(RecognizerError):
        jsgf_for_phrases([])
