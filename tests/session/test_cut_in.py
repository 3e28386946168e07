"""The barge-in/answer rule: no command heard while the coach talks is dropped.

Every command cuts the coach off and is answered in the same engine step (so
within the loop's reaction time of the recognizer's decision).  Navigation
commands take over; questions and adjustments cut in and then the cut-off
sentence is said again and the coach goes on.
"""

import pytest

from voice_coach.intents import Intent
from voice_coach.session.engine import BARGE_IN
from voice_coach.session.messages import Say, StopSpeaking, Tick
from voice_coach.session.state import Phase

from tests.session.driver import texts
from tests.session.states import reach

SLOTS = {Intent.START_ROUTINE: {"routine": "quick"}, Intent.ADD_TIME: {"seconds": 30}, Intent.PAIN: {"level": 3}}
# Questions and adjustments (and yes/no/pain with no question open): answered, then the coach goes on.
CUT_IN = [Intent.TIME_LEFT, Intent.ADD_TIME, Intent.SLOWER, Intent.FASTER, Intent.LOUDER, Intent.QUIETER,
          Intent.HELP, Intent.YES, Intent.NO, Intent.PAIN, Intent.RESUME]


def speaking(state_name: str):
    """A driver whose coach is in the middle of an instruction."""
    driver = reach(state_name)
    driver.send(Tick())
    if not driver.state.speaking:
        driver.command(Intent.REPEAT)
    assert driver.state.speaking
    return driver


@pytest.mark.parametrize("state_name", ("announcing", "running", "manual", "reps", "paused", "safety", "idle"))
@pytest.mark.parametrize("intent", list(Intent))
def test_every_command_heard_while_the_coach_talks_is_answered_at_once(state_name, intent):
    driver = speaking(state_name)
    actions = driver.command(intent, **SLOTS.get(intent, {}))
    assert isinstance(actions[0], StopSpeaking), "the coach stops talking over the answer"
    if not (intent is Intent.STOP and state_name == "idle"):  # there, silence is the whole answer
        assert any(isinstance(a, Say) for a in actions), f"{intent} in {state_name} got no spoken answer"


@pytest.mark.parametrize("state_name", ("announcing", "running", "manual", "reps"))
@pytest.mark.parametrize("intent", CUT_IN)
def test_questions_and_adjustments_cut_in_then_the_cut_sentence_is_said_again(state_name, intent):
    driver = speaking(state_name)
    cut = [u.text for u in driver.state.unfinished]
    said = texts(driver.command(intent, **SLOTS.get(intent, {})))
    answer, rest = said[0], said[1:]
    assert answer not in cut
    assert rest[0] == cut[0], "the sentence that was cut off comes again right after the answer"
    assert driver.state.phase is Phase.STEP


@pytest.mark.parametrize("intent", sorted(BARGE_IN - {Intent.REPEAT, Intent.LIST_ROUTINES}))
def test_navigation_takes_over_and_drops_what_was_being_said(intent):
    driver = speaking("running")
    cut = [u.text for u in driver.state.unfinished]
    said = texts(driver.command(intent, **SLOTS.get(intent, {})))
    assert not set(said) & set(cut[1:])


def test_a_reply_is_not_repeated_when_another_command_cuts_it():
    driver = speaking("running")
    driver.command(Intent.TIME_LEFT)
    said = texts(driver.command(Intent.TIME_LEFT, at=driver.t + 5))
    # the new answer is computed now; the old one (five seconds out of date) is not said again
    assert [s for s in said if s.endswith("left on the left foot.")] == [said[0]]


def test_timer_cues_are_not_repeated_after_a_cut_in():
    driver = reach("running")
    driver.send_tick_at(driver.t + 40)  # the halfway cue is due and still being said
    cues = [u.text for u in driver.state.unfinished if u.text.startswith("Halfway")]
    assert cues
    said = texts(driver.command(Intent.HELP))
    assert not set(cues) & set(said)
