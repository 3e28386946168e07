"""time_left wording, add_time and the number/duration wording helpers."""

import pytest

from voice_coach.intents import Intent
from voice_coach.session.messages import Log, StopSpeaking
from voice_coach.session.state import Stage
from voice_coach.session.wording import approx_duration_words, duration_words, rounded_seconds

from tests.session.driver import Driver, into_first_step, texts
from tests.session.routines_for_tests import make_library


@pytest.mark.parametrize("seconds, words", [
    (120, "two minutes"), (90, "one minute thirty seconds"), (45, "forty five seconds"),
    (60, "one minute"), (1, "one second"), (0, "zero seconds"), (3725, "one hour two minutes five seconds"),
    (600, "ten minutes"), (61, "one minute one second"),
])
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words


@pytest.mark.parametrize("remaining, words", [
    (83.2, "about one minute twenty seconds"),
    (80.0, "one minute twenty seconds"),
    (12.3, "thirteen seconds"),
    (0.4, "one second"),
    (47.0, "about forty five seconds"),
    (431.0, "about seven minutes ten seconds"),
    (745.0, "about twelve minutes thirty seconds"),
])
def test_time_left_is_rounded_sensibly(remaining, words):
    assert approx_duration_words(remaining) == words


def test_rounding_never_says_zero_while_time_remains():
    assert rounded_seconds(0.001) == 1 and rounded_seconds(0.0) == 0


def running(t0: float = 2000.0) -> Driver:
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    driver.finish_speech(at=t0)
    return driver


def test_time_left_names_the_foot():
    driver = running()
    driver.advance(2036.8)
    assert texts(driver.command(Intent.TIME_LEFT, at=2036.8)) == [
        "About one minute twenty seconds left on the left foot."]
    driver.advance(2136.8)
    assert texts(driver.command(Intent.TIME_LEFT, at=2136.8)) == [
        "About one minute forty seconds left on the right foot."]


def test_time_left_before_the_timer_starts_and_when_paused():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    assert texts(driver.command(Intent.TIME_LEFT))[:1] == [
        "The timer starts after the instructions: two minutes on the left foot."]
    driver.finish_speech(at=2000.0)
    driver.command(Intent.PAUSE, at=2030.0)
    assert texts(driver.command(Intent.TIME_LEFT, at=2100.0))[:1] == [
        "Paused, with one minute thirty seconds left on the left foot."]


def test_add_time_extends_and_moves_the_end():
    t0 = 2000.0
    driver = running(t0)
    driver.advance(t0 + 100)
    actions = driver.command(Intent.ADD_TIME, at=t0 + 100, seconds=30)
    assert texts(actions) == ["Added thirty seconds. Fifty seconds left on the left foot."]
    assert [a.data["remaining_s"] for a in actions if isinstance(a, Log) and a.kind == "progress"] == [50.0]
    driver.advance(t0 + 200)
    assert driver.said_at("Switch to the right foot.") == [t0 + 150]
    assert driver.said_at("Ten seconds.")[0] == t0 + 140
    assert driver.said_at("Halfway on the left foot") == [t0 + 60]  # said once, not again


def test_add_time_after_the_final_warning_says_it_again():
    t0 = 2000.0
    driver = running(t0)
    driver.advance(t0 + 115)
    driver.command(Intent.ADD_TIME, at=t0 + 115, seconds=20)
    driver.advance(t0 + 150)
    assert driver.said_at("Ten seconds.")[:2] == [t0 + 110, t0 + 130]


def test_add_time_default_and_on_steps_without_a_timer():
    driver = running()
    assert texts(driver.command(Intent.ADD_TIME))[0].startswith("Added thirty seconds.")
    driver.command(Intent.SKIP)  # to the reps step
    assert texts(driver.command(Intent.ADD_TIME, seconds=30))[:1] == [
        "This step has no timer. Say next when you are done."]


def test_time_left_on_reps_and_manual_steps():
    driver = running()
    driver.command(Intent.SKIP)
    driver.finish_speech(at=3000.0)
    driver.advance(3004.5)
    assert texts(driver.command(Intent.TIME_LEFT, at=3004.5)) == ["Two of three repetitions done on the left foot."]
    driver.command(Intent.SKIP)
    assert driver.state.stage is Stage.WAITING
    assert texts(driver.command(Intent.TIME_LEFT))[:1] == ["This step has no timer. Say next when you are done."]


def test_add_time_during_the_instructions_cuts_in_and_the_go_cue_says_the_new_length():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)  # "First, step one of four: …" is being said
    actions = driver.command(Intent.ADD_TIME, at=1001.0, seconds=60)
    said = texts(actions)
    assert isinstance(actions[0], StopSpeaking)
    assert said[0] == "Added one minute. The timer starts after the instructions: three minutes on the left foot."
    assert said[1].startswith("First, step one of four")  # the cut sentence again, then the rest
    assert said[-1] == "Left foot, three minutes, begin."
    driver.finish_speech(at=1020.0)
    assert driver.state.timer.running and driver.state.timer.remaining(1020.0) == 180.0
    # after "begin" the answer is the running timer, never "the timer starts after the instructions"
    assert texts(driver.command(Intent.TIME_LEFT, at=1030.0)) == ["Two minutes fifty seconds left on the left foot."]
