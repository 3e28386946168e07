"""Per-foot cues land at the exact seconds; the timer starts when the go cue is spoken."""

import pytest

from voice_coach.intents import Intent
from voice_coach.session import next_deadline
from voice_coach.session.messages import Tick
from voice_coach.config import SessionSettings
from voice_coach.session.messages import Chime, Log, Say, StartTimer
from voice_coach.session.state import Phase, Stage

from tests.session.driver import START_S, Driver, into_first_step
from tests.session.routines_for_tests import make_library


@pytest.fixture
def at_roll():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    assert driver.state.current_step.id == "roll"
    return driver


def test_timer_waits_for_the_go_cue_to_be_spoken(at_roll):
    driver = at_roll
    said = driver.said()
    assert "Left foot, two minutes, begin." in said
    assert driver.state.stage is Stage.ANNOUNCING
    # The instructions take however long they take: no time is lost from the foot.
    instructions_end = START_S + 37.5
    driver.finish_speech(at=instructions_end)
    assert driver.state.stage is Stage.RUNNING
    assert driver.state.timer.remaining(instructions_end) == 120.0
    assert isinstance(driver.last[0], StartTimer) and driver.last[0].seconds == 120.0


def test_per_foot_cues_at_exact_seconds(at_roll):
    driver = at_roll
    t0 = START_S + 20.0
    driver.finish_speech(at=t0)
    driver.advance(t0 + 240)
    assert driver.said_at("Halfway on the left foot") == [t0 + 60]
    assert driver.said_at("Ten seconds.")[0] == t0 + 110
    switch = [t for t, a in driver.history if a == Chime("switch")]
    assert switch == [t0 + 120]
    assert driver.said_at("Switch to the right foot.") == [t0 + 120]
    # The right foot starts when its go cue finished (instantly here), then the same cues.
    assert driver.said_at("Halfway on the right foot") == [t0 + 180]
    assert driver.said_at("Ten seconds.")[1] == t0 + 230
    assert [t for t, a in driver.history if a == Chime("step_done")][0] == t0 + 240
    foot_times = [a.data for _, a in driver.history if isinstance(a, Log) and a.kind == "foot_time"]
    assert foot_times[:2] == [
        {"step_index": 0, "step_id": "roll", "foot": "left", "seconds": 120.0},
        {"step_index": 0, "step_id": "roll", "foot": "right", "seconds": 120.0},
    ]


def test_cues_exact_even_when_speech_is_slow(at_roll):
    """Cue times depend only on when the go cue finished, not on when later speech ends."""
    driver = at_roll
    t0 = START_S + 7.25
    driver.finish_speech(at=t0)
    while next_deadline(driver.state) is not None and next_deadline(driver.state) <= t0 + 119:
        driver.send(Tick(), next_deadline(driver.state))  # speech never reported finished meanwhile
    assert driver.said_at("Halfway") == [t0 + 60]
    assert driver.said_at("Ten seconds") == [t0 + 110]


def test_long_single_timer_has_halfway_and_final_cues():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    driver.command(Intent.SKIP)  # roll
    driver.command(Intent.SKIP)  # circles
    driver.command(Intent.NEXT)  # oil (manual)
    assert driver.state.current_step.id == "soak"
    assert "Ten minutes, begin." in driver.said()
    t0 = driver.t + 3
    driver.finish_speech(at=t0)
    driver.advance(t0 + 600)
    assert driver.said_at("Halfway. Five minutes to go.") == [t0 + 300]
    assert driver.said_at("Ten seconds.") == [t0 + 590]
    assert driver.state.phase is Phase.PAIN_AFTER
    assert driver.said_at("That was the last step.") == [t0 + 600]


def test_short_timer_gets_no_halfway_cue():
    driver = Driver(make_library(), "quick")
    into_first_step(driver)
    t0 = driver.t
    driver.finish_speech(at=t0)
    driver.advance(t0 + 30)
    assert driver.said_at("Halfway") == []
    assert driver.said_at("Ten seconds.") == [t0 + 20]


def test_final_warning_follows_settings():
    settings = SessionSettings(final_warning_s=15, halfway_cue=False)
    driver = Driver(make_library(), "quick", settings=settings)
    into_first_step(driver)
    t0 = driver.t
    driver.finish_speech(at=t0)
    driver.advance(t0 + 30)
    assert driver.said_at("Fifteen seconds.") == [t0 + 15]


def test_reps_are_counted_at_the_cadence():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    driver.command(Intent.SKIP)
    assert driver.state.current_step.id == "circles"
    assert "Three repetitions, left foot. I will count. Begin." in driver.said()
    t0 = driver.t + 1
    driver.finish_speech(at=t0)
    driver.advance(t0 + 6)
    counts = [(t, a.text) for t, a in driver.history if isinstance(a, Say) and t >= t0]
    assert counts[:3] == [(t0 + 2, "One."), (t0 + 4, "Two."), (t0 + 6, "Three.")]
    assert driver.state.foot == "right"


def test_timer_starts_anyway_when_the_speech_report_never_comes(at_roll):
    driver = at_roll
    deadline = next_deadline(driver.state)
    assert deadline is not None and deadline > driver.t + 10  # a slow reading of the text is allowed for
    driver.send(Tick(), at=deadline)
    assert driver.state.stage is Stage.RUNNING
    assert driver.state.timer.remaining(deadline) == 120.0


def test_a_late_tick_skips_cues_the_end_overtook(at_roll):
    driver = at_roll
    t0 = 1100.0
    driver.finish_speech(at=t0)
    actions = driver.send(Tick(), at=t0 + 125.0)  # the machine slept through halfway and the warning
    said = [a.text for a in actions if isinstance(a, Say)]
    assert said == ["Switch to the right foot.", "Right foot, two minutes, begin."]
    assert driver.state.foot == "right"
    # The left foot is credited with exactly its two minutes, not the late tick's 125 s.
    assert [a.data["seconds"] for a in actions if isinstance(a, Log) and a.kind == "foot_time"] == [120.0]


def test_a_late_tick_says_only_the_latest_due_cue(at_roll):
    driver = at_roll
    t0 = 1100.0
    driver.finish_speech(at=t0)
    actions = driver.send(Tick(), at=t0 + 112.0)
    assert [a.text for a in actions if isinstance(a, Say)] == ["Ten seconds."]
    assert next_deadline(driver.state) <= t0 + 120.0  # halfway is not owed any more
    driver.advance(t0 + 119.0)
    assert driver.said_at("Halfway") == []
