"""pause/stop/resume freeze the timer exactly; foot time excludes pauses."""

from voice_coach.intents import Intent
from voice_coach.session import describe, next_deadline
from voice_coach.session.messages import Log, SpeechFinished, StartTimer, StopSpeaking, StopTimer, Tick
from voice_coach.session.state import Stage

from tests.session.driver import Driver, into_first_step, texts
from tests.session.routines_for_tests import make_library


def running_roll(t0: float) -> Driver:
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    driver.finish_speech(at=t0)
    assert driver.state.stage is Stage.RUNNING
    return driver


def test_pause_freezes_remaining_time_exactly():
    t0 = 1000.123456
    driver = running_roll(t0)
    pause_at = t0 + 37.654321
    driver.advance(pause_at)
    actions = driver.command(Intent.PAUSE, at=pause_at)
    remaining = driver.state.timer.remaining(pause_at)
    assert StopTimer("roll:left") in actions
    assert "Paused. Say resume when you are ready." in texts(actions)
    assert next_deadline(driver.state) is None  # nothing is due while paused
    # An hour later nothing has moved, to the last bit.
    later = pause_at + 3600.0
    driver.send(Tick(), at=later)
    assert driver.state.timer.remaining(later) == remaining
    assert describe(driver.state, later).seconds_left == remaining
    actions = driver.command(Intent.RESUME, at=later)
    assert driver.state.timer.remaining(later) == remaining
    assert any(isinstance(a, StartTimer) and a.seconds == remaining for a in actions)
    assert texts(actions) == ["Resuming. About one minute twenty seconds left on the left foot."]
    # The remaining cues are shifted by exactly the pause.
    driver.advance(later + remaining)
    shift = later - pause_at
    assert abs(driver.said_at("Halfway on the left foot")[0] - (t0 + 60 + shift)) < 1e-6
    assert abs(driver.said_at("Switch to the right foot.")[0] - (t0 + 120 + shift)) < 1e-6


def test_foot_time_excludes_the_pause():
    t0 = 1500.0
    driver = running_roll(t0)
    driver.command(Intent.PAUSE, at=t0 + 30)
    driver.command(Intent.RESUME, at=t0 + 330)
    driver.advance(t0 + 420)
    foot_time = [a.data for _, a in driver.history if isinstance(a, Log) and a.kind == "foot_time"]
    assert foot_time[0]["foot"] == "left" and foot_time[0]["seconds"] == 120.0


def test_pause_logs_progress_for_resume():
    t0 = 1500.0
    driver = running_roll(t0)
    actions = driver.command(Intent.PAUSE, at=t0 + 45)
    progress = [a.data for a in actions if isinstance(a, Log) and a.kind == "progress"]
    assert progress == [{"step_index": 0, "step_id": "roll", "foot": "left", "remaining_s": 75.0}]


def test_stop_silences_first_then_pauses():
    t0 = 1500.0
    driver = running_roll(t0)
    while next_deadline(driver.state) <= t0 + 60:  # speech is never reported finished here
        driver.send(Tick(), at=next_deadline(driver.state))
    halfway_ids = set(driver.state.speaking)  # "Halfway on the left foot" is still being spoken
    assert halfway_ids
    actions = driver.command(Intent.STOP, at=t0 + 61)
    assert isinstance(actions[0], StopSpeaking)
    assert texts(actions) == ["Paused. Say resume to go on, or end session to finish."]
    assert driver.state.paused and driver.state.timer.remaining(t0 + 1000) == 59.0
    assert not halfway_ids & driver.state.speaking


def test_stop_is_silenced_even_when_nothing_seems_to_be_speaking():
    driver = running_roll(1100.0)
    assert not driver.state.speaking
    assert isinstance(driver.command(Intent.STOP, at=1101.0)[0], StopSpeaking)


def test_pause_while_instructions_are_spoken_barges_in_and_keeps_the_full_time():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    assert driver.state.stage is Stage.ANNOUNCING and driver.state.speaking
    actions = driver.command(Intent.PAUSE, at=1005.0)
    assert isinstance(actions[0], StopSpeaking)
    # The cut-off go cue must not start the timer when its (late) report arrives.
    driver.finish_speech(at=1006.0)
    assert driver.state.stage is Stage.ANNOUNCING and driver.state.timer.remaining(2000.0) == 120.0
    actions = driver.command(Intent.RESUME, at=1100.0)
    said = texts(actions)
    assert said[0].startswith("First, step one of four: Ball rolling.")  # instructions were cut: re-read
    assert said[-1] == "Left foot, two minutes, begin."
    driver.finish_speech(at=1110.0)
    assert driver.state.timer.remaining(1110.0) == 120.0 and driver.state.stage is Stage.RUNNING


def test_pause_after_instructions_only_repeats_the_go_cue():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    go_id = max(driver.state.speaking)
    for intro_id in sorted(driver.state.speaking - {go_id}):  # every sentence of the instructions
        driver.send(SpeechFinished(intro_id), at=1010.0)
    driver.command(Intent.PAUSE, at=1011.0)
    assert texts(driver.command(Intent.RESUME, at=1020.0)) == ["Left foot, two minutes, begin."]


def test_pause_twice_and_resume_when_not_paused():
    driver = running_roll(1100.0)
    assert texts(driver.command(Intent.RESUME, at=1101.0)) == ["We are not paused."]
    driver.command(Intent.PAUSE, at=1102.0)
    assert texts(driver.command(Intent.PAUSE, at=1103.0)) == ["Already paused. Say resume to go on."]


def test_navigation_while_paused_goes_on():
    driver = running_roll(1100.0)
    driver.command(Intent.PAUSE, at=1110.0)
    driver.command(Intent.NEXT, at=1120.0)
    assert not driver.state.paused and driver.state.foot == "right"
    assert driver.state.stage is Stage.ANNOUNCING
    spent = [a.data["seconds"] for _, a in driver.history if isinstance(a, Log) and a.kind == "foot_time"]
    assert spent == [10.0]
