"""``enroll --phrase``: the person's own words for a command become prompts of their own; words
that are no command, or a command the neural model cannot learn, are refused with a fix."""

import pytest

from voice_coach.enrollment.phrases import Prompt, own_prompts
from voice_coach.errors import ConfigError
from voice_coach.grammar import Grammar
from voice_coach.routines.loader import load_library

LABELS = ("none", "pause", "time_left", "next")


@pytest.fixture(scope="module")
def grammar():
    return Grammar.build(load_library().all())


def test_phrases_are_normalized_deduplicated_and_keep_their_command(grammar):
    prompts = own_prompts(grammar, ["Hold  on", "how long is left", "hold on"], LABELS)
    assert prompts == [Prompt("hold on", "pause", own=True), Prompt("how long is left", "time_left", own=True)]


@pytest.mark.parametrize("phrase", ["hold on to the towel", "", "   "])
def test_words_that_are_no_command_are_refused_by_name(grammar, phrase):
    with pytest.raises(ConfigError) as raised:
        own_prompts(grammar, ["hold on", phrase], LABELS)
    assert f"--phrase {phrase!r} is not a command the coach knows" in str(raised.value)
    assert 'e.g. --phrase "hold on"' in str(raised.value)


def test_a_command_the_model_has_no_class_for_is_refused(grammar):
    with pytest.raises(ConfigError, match=r"'repeat that' \(repeat\) is a command the neural model has no class for"):
        own_prompts(grammar, ["repeat that"], LABELS)
