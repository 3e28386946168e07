"""Every command in every state: a sensible action or a short spoken answer, never an exception."""

import pytest

from voice_coach.intents import Intent
from voice_coach.session import describe, next_deadline
from voice_coach.session.messages import AdjustSpeech, Say, StopSpeaking, Tick
from voice_coach.session.state import Phase

from tests.session.driver import texts
from tests.session.states import STATE_NAMES, reach

SLOTS = {Intent.START_ROUTINE: {"routine": "quick"}, Intent.ADD_TIME: {"seconds": 30}, Intent.PAIN: {"level": 3}}

NOT_RUNNING = "No routine is running. Say list routines."
# Commands that make no sense in a state, and the short answer they get.
EXPECTED = {
    ("idle", Intent.NEXT): NOT_RUNNING,
    ("idle", Intent.PAUSE): NOT_RUNNING,
    ("idle", Intent.TIME_LEFT): NOT_RUNNING,
    ("idle", Intent.SWITCH_FOOT): NOT_RUNNING,
    ("idle", Intent.ADD_TIME): NOT_RUNNING,
    ("idle", Intent.PREVIOUS): NOT_RUNNING,
    ("idle", Intent.RESUME): NOT_RUNNING,
    ("idle", Intent.YES): "Say start and a routine name, or list routines.",
    ("ended", Intent.NEXT): "The session has ended.",
    ("ended", Intent.START_ROUTINE): "The session has ended.",
    ("running", Intent.YES): "No question is waiting.",
    ("running", Intent.START_ROUTINE): "The test feet routine is running. Say end session first.",
    ("running", Intent.RESUME): "We are not paused.",
    ("single_timer", Intent.SWITCH_FOOT): "This step is not done per foot.",
    ("manual", Intent.ADD_TIME): "This step has no timer. Say next when you are done.",
    ("manual", Intent.YES): "No question is waiting. Say next when you are done.",
    ("reps", Intent.ADD_TIME): "This step has no timer. Say next when you are done.",
    ("safety", Intent.TIME_LEFT): "No timer is running yet.",
    ("pain_before", Intent.YES): "Please say pain and a number from zero to ten, for example pain three. "
                                 "Or say skip.",
    ("resume_offer", Intent.NEXT): "Please answer yes or no. Resume the test feet routine at ball rolling, "
                                   "right foot? Say yes or no.",
}


@pytest.mark.parametrize("state_name", STATE_NAMES)
@pytest.mark.parametrize("intent", list(Intent))
def test_every_command_in_every_state(state_name, intent):
    driver = reach(state_name)
    now = driver.t + 1.5
    actions = driver.command(intent, at=now, **SLOTS.get(intent, {}))
    assert actions, f"{intent} in {state_name} did nothing at all"
    for action in actions:
        if isinstance(action, Say):
            assert action.text.strip(), f"{intent} in {state_name} said an empty sentence"
    if intent is Intent.STOP:
        assert isinstance(actions[0], StopSpeaking)
    if intent in (Intent.SLOWER, Intent.FASTER, Intent.LOUDER, Intent.QUIETER) and state_name != "ended":
        assert any(isinstance(a, AdjustSpeech) for a in actions)
    if (state_name, intent) in EXPECTED:  # the answer; the cut-off sentence may follow it (see test_cut_in)
        assert texts(actions)[0] == EXPECTED[state_name, intent]
    # The state stays usable: deadlines and the display work, and "end" still ends.
    deadline = next_deadline(driver.state)
    assert deadline is None or deadline >= now - 1e-6 or driver.state.phase is Phase.STEP
    describe(driver.state, now)
    if driver.state.phase is not Phase.ENDED:
        driver.command(Intent.END, at=now + 1)
        if driver.state.phase is Phase.PAIN_AFTER:  # ended during the steps: the closing pain question
            driver.command(Intent.NO, at=now + 2)
        assert driver.state.phase is Phase.ENDED


@pytest.mark.parametrize("state_name", STATE_NAMES)
def test_help_is_short_and_fits_the_state(state_name):
    driver = reach(state_name)
    said = texts(driver.command(Intent.HELP))
    assert len(said[0]) < 160
    if state_name in ("running", "single_timer"):
        assert "how much time is left" in said[0] and "add thirty seconds" in said[0]
    if state_name in ("safety", "safety_continue", "resume_offer"):
        assert said[0].startswith("You can say: yes, no")
    if state_name == "idle":
        assert "start test feet" in said[0] and "list routines" in said[0]
    if state_name == "paused":
        assert said[0].startswith("You can say: resume, end session")


@pytest.mark.parametrize("state_name", ("running", "announcing", "manual", "reps"))
@pytest.mark.parametrize("intent", [Intent.PAUSE, Intent.NEXT, Intent.PREVIOUS, Intent.SKIP, Intent.END,
                                    Intent.SWITCH_FOOT, Intent.REPEAT])
def test_barge_in_cuts_speech_first(state_name, intent):
    driver = reach(state_name)
    driver.send(Tick())
    said = driver.command(Intent.REPEAT)  # the coach is now speaking
    assert driver.state.speaking and said
    actions = driver.command(intent)
    assert isinstance(actions[0], StopSpeaking)


def test_voice_changes_clamp_at_the_limits():
    driver = reach("idle")
    deltas = []
    for _ in range(20):
        deltas += [a.rate_delta_wpm for a in driver.command(Intent.FASTER) if isinstance(a, AdjustSpeech)]
    assert sum(deltas) == 300 - 160 and all(d == 20 for d in deltas)
    assert texts(driver.last)[0] == "That is as fast as I can speak."
    for _ in range(20):
        driver.command(Intent.QUIETER)
    assert driver.state.volume == pytest.approx(0.1)
    assert texts(driver.last)[0] == "That is as quiet as I can speak."


def test_list_routines_names_them_and_how_to_start():
    said = texts(reach("idle").command(Intent.LIST_ROUTINES))
    assert said == ["I know two routines: test feet and quick press. Say start and a name, for example "
                    "start test feet."]


def test_unknown_routine_gets_an_answer():
    driver = reach("idle")
    assert texts(driver.command(Intent.START_ROUTINE, routine="nope")) == [
        "I don't know that routine. Say list routines."]
    assert driver.state.phase is Phase.IDLE
