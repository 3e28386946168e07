"""The non-command lists: never a command, never shared between lists, big enough.

A string that parses would teach the model to reject a real command (or count
a correct detection as a false alarm); a string in two lists would let an
evaluation score sentences the model was trained or tuned on.
"""

import itertools
import re

import pytest

from voice_coach.evaluation.sentences import HELD_OUT_SENTENCES, TUNING_SENTENCES
from voice_coach.grammar import Grammar
from voice_coach.routines.loader import load_library
from voice_coach.training.negatives import (
    PADDED_COMMANDS,
    PARTIAL_COMMANDS,
    SINGLE_WORDS,
    TRAINING_SENTENCES,
)

LISTS = {
    "TUNING_SENTENCES": TUNING_SENTENCES,
    "HELD_OUT_SENTENCES": HELD_OUT_SENTENCES,
    "TRAINING_SENTENCES": TRAINING_SENTENCES,
    "PADDED_COMMANDS": PADDED_COMMANDS,
    "PARTIAL_COMMANDS": PARTIAL_COMMANDS,
    "SINGLE_WORDS": SINGLE_WORDS,
}
MINIMUM_SIZES = {
    "TUNING_SENTENCES": 160,
    "HELD_OUT_SENTENCES": 320,
    "TRAINING_SENTENCES": 450,
    "PADDED_COMMANDS": 120,
    "PARTIAL_COMMANDS": 60,
    "SINGLE_WORDS": 150,
}
WORDS_ONLY = re.compile(r"[a-z']+( [a-z']+)*")


def _normalized(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return Grammar.build(load_library().all())


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_string_is_a_command(grammar, name):
    commands = [(text, grammar.parse(text)) for text in LISTS[name]]
    assert [(t, c) for t, c in commands if c is not None] == []


def test_no_command_phrasing_is_in_any_list(grammar):
    # The converse check from the grammar's side, in case parse() ever gets
    # stricter than the phrasings it lists.
    listed = {_normalized(s) for strings in LISTS.values() for s in strings}
    phrasings = {_normalized(text) for text, _ in grammar.utterances()}
    assert sorted(listed & phrasings) == []


@pytest.mark.parametrize("first, second", list(itertools.combinations(sorted(LISTS), 2)))
def test_lists_are_pairwise_disjoint(first, second):
    shared = {_normalized(s) for s in LISTS[first]} & {_normalized(s) for s in LISTS[second]}
    assert sorted(shared) == []


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_duplicates_within_a_list(name):
    seen: set[str] = set()
    repeated = [s for s in LISTS[name] if _normalized(s) in seen or seen.add(_normalized(s))]
    assert repeated == []


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_meets_its_minimum_size(name):
    assert len(LISTS[name]) >= MINIMUM_SIZES[name]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_string_is_lowercase_words_only(name):
    malformed = [s for s in LISTS[name] if not WORDS_ONLY.fullmatch(s)]
    assert malformed == []


def test_single_words_are_single_words():
    assert [w for w in SINGLE_WORDS if len(w.split()) != 1] == []


def test_existing_evaluation_sentences_stay_first():
    # Earlier published numbers were measured on these; appending keeps
    # a prefix of each list comparable.
    assert TUNING_SENTENCES[0] == "next week i'm traveling"
    assert TUNING_SENTENCES[35] == "pause the music for a second"
    assert HELD_OUT_SENTENCES[0] == "next time bring comfortable shoes"
    assert HELD_OUT_SENTENCES[35] == "are you comfortable lying down"
