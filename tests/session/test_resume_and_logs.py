"""Resume after a power cut (ResumePoint), resume_point(), and the journal Log actions."""

from voice_coach.config import SessionSettings
from voice_coach.intents import Intent
from voice_coach.routines.loader import load_library
from voice_coach.session import describe, resume_point
from voice_coach.session.messages import EndSession, Log
from voice_coach.session.state import Phase, ResumePoint, Stage

from tests.session.driver import Driver, into_first_step, texts
from tests.session.routines_for_tests import make_library


def logs(driver, kind=None):
    return [(a.kind, dict(a.data)) for _, a in driver.history
            if isinstance(a, Log) and (kind is None or a.kind == kind)]


def test_resume_offer_wording_with_the_built_in_heel_spur_routine():
    point = ResumePoint("heel-spur", 1, "right", 80.0)
    driver = Driver(load_library(include_user_dir=False), resume=point)
    assert driver.said() == ["Resume the heel spur routine at thumb pressure circles, right foot? Say yes or no."]
    assert driver.state.phase is Phase.RESUME_OFFER


def test_yes_continues_at_that_foot_with_the_remaining_time():
    driver = Driver(make_library(), resume=ResumePoint("feet", 0, "right", 80.0))
    said = texts(driver.command(Intent.YES))
    assert said[0].startswith("Resuming, step one of four: Ball rolling.")
    assert said[-1] == "Right foot, one minute twenty seconds left, begin."
    assert logs(driver, "session_started") == [("session_started", {"routine": "feet", "resumed": True})]
    assert logs(driver, "step_reached")[-1][1] == {"step_index": 0, "step_id": "roll", "foot": "right"}
    t0 = 1100.0
    driver.finish_speech(at=t0)
    assert driver.state.stage is Stage.RUNNING and driver.state.timer.remaining(t0) == 80.0
    driver.advance(t0 + 80)
    # Halfway of the full two minutes is 20 s into the resumed 80 s.
    assert driver.said_at("Halfway on the right foot") == [t0 + 20]
    assert driver.said_at("Ten seconds.") == [t0 + 70]
    # Only the time spent in this session counts as foot time.
    assert logs(driver, "foot_time")[-1][1]["seconds"] == 80.0
    assert driver.state.current_step.id == "circles"


def test_no_goes_to_the_idle_prompt_or_the_asked_routine():
    driver = Driver(make_library(), resume=ResumePoint("feet", 2, None, None))
    assert texts(driver.command(Intent.NO)) == ["All right. Say start and a routine name, or list routines."]
    assert driver.state.phase is Phase.IDLE and logs(driver, "session_started") == []
    driver = Driver(make_library(), "quick", resume=ResumePoint("feet", 2, None, None))
    driver.command(Intent.NO)
    assert driver.state.phase is Phase.PAIN_BEFORE and driver.state.routine.id == "quick"


def test_resume_point_that_no_longer_fits_is_ignored():
    for point in (ResumePoint("gone", 0, None, None), ResumePoint("feet", 9, None, None),
                  ResumePoint("feet", 0, "middle", None)):
        driver = Driver(make_library(), resume=point)
        assert driver.state.phase is Phase.IDLE


def test_resume_at_a_rep_step_keeps_counting():
    driver = Driver(make_library(), resume=ResumePoint("feet", 1, "left", 2.0))
    said = texts(driver.command(Intent.YES))
    assert said[-1] == "One more repetition, left foot. I will count. Begin."
    driver.finish_speech(at=1200.0)
    driver.advance(1202.0)
    assert "Three." in driver.said() and driver.state.foot == "right"


def test_resume_point_and_describe_follow_the_timer():
    driver = Driver(make_library(), "feet")
    assert resume_point(driver.state, driver.t) is None
    into_first_step(driver)
    driver.finish_speech(at=1100.0)
    driver.advance(1130.0)
    assert resume_point(driver.state, 1130.0) == ResumePoint("feet", 0, "left", 90.0)
    view = describe(driver.state, 1130.0)
    assert (view.routine_title, view.step_title, view.step_number, view.step_count, view.foot, view.seconds_left,
            view.paused, view.phase) == ("Test feet", "Ball rolling", 1, 4, "left", 90.0, False, "step")
    driver.command(Intent.PAUSE, at=1131.0)
    view = describe(driver.state, 1500.0)
    assert view.paused and view.seconds_left == 89.0 and view.last_command == "pause"


def quick_step_progress(progress_log_s: float) -> tuple[Driver, list[float]]:
    """Run the 30 s quick step from 1100.0 to its end; return the journaled remaining times."""
    driver = Driver(make_library(), "quick", settings=SessionSettings(progress_log_s=progress_log_s))
    into_first_step(driver)
    driver.finish_speech(at=1100.0)
    driver.advance(1130.0)
    return driver, [data["remaining_s"] for _, data in logs(driver, "progress")]


def test_progress_is_logged_every_few_seconds_while_the_timer_runs():
    driver, remaining = quick_step_progress(5.0)
    assert remaining == [30.0, 25.0, 20.0, 15.0, 10.0, 5.0]
    times = [t for t, a in driver.history if isinstance(a, Log) and a.kind == "progress"]
    assert times[1:] == [1105.0, 1110.0, 1115.0, 1120.0, 1125.0]


def test_a_whole_session_logs_in_journal_order():
    driver = Driver(make_library(), "quick")
    driver.finish_speech()
    driver.command(Intent.PAIN, level=6)
    driver.finish_speech(at=1010.0)
    driver.advance(1040.0)
    driver.command(Intent.PAIN, at=1045.0, level=2)
    kinds = [kind for kind, _ in logs(driver) if kind != "progress"]
    assert kinds == ["session_started", "command", "pain", "step_reached", "foot_time", "command", "pain",
                     "session_ended"]
    assert logs(driver, "foot_time") == [("foot_time", {"step_index": 0, "step_id": "short", "foot": None,
                                                        "seconds": 30.0})]
    assert logs(driver, "command")[0][1] == {"intent": "pain"}
    assert logs(driver, "session_ended") == [("session_ended", {"completed": True})]
    assert isinstance(driver.history[-1][1], EndSession)


def test_end_mid_step_records_the_partial_foot_time_and_not_completed():
    driver = Driver(make_library(), "feet")
    into_first_step(driver)
    driver.finish_speech(at=1100.0)
    driver.advance(1142.5)
    driver.command(Intent.END, at=1142.5)
    assert logs(driver, "foot_time")[-1][1]["seconds"] == 42.5
    assert driver.said()[-1] == "Before we finish: how is the pain now? Say pain and a number, or say no."
    driver.command(Intent.PAIN, at=1150.0, level=2)
    assert logs(driver, "pain")[-1][1] == {"when": "after", "level": 2}
    assert logs(driver, "session_ended") == [("session_ended", {"completed": False})]
    assert driver.said()[-1] == "Thank you. Session ended. Take care."


def test_end_session_during_the_steps_asks_one_closing_question_that_no_skip_or_end_declines():
    for decline in (Intent.NO, Intent.SKIP, Intent.END):
        driver = Driver(make_library(), "feet")
        into_first_step(driver)
        driver.advance(1150.0)
        driver.command(Intent.STOP, at=1150.0)  # "stop" then "end session" too
        driver.command(Intent.END, at=1155.0)
        assert driver.state.phase is Phase.PAIN_AFTER, decline
        driver.command(decline, at=1160.0)
        assert driver.state.phase is Phase.ENDED, decline
        assert driver.said()[-1] == "Session ended. Take care."
        assert [d for k, d in logs(driver) if k == "pain" and d["when"] == "after"] == []
        assert logs(driver, "session_ended") == [("session_ended", {"completed": False})]


def test_end_session_before_the_steps_ends_at_once():
    driver = Driver(make_library(), "feet")
    driver.finish_speech()
    driver.command(Intent.END)
    assert driver.state.phase is Phase.ENDED and driver.said()[-1] == "Session ended. Take care."


def test_commands_before_a_routine_are_not_journaled():
    driver = Driver(make_library())
    driver.command(Intent.LIST_ROUTINES)
    driver.command(Intent.START_ROUTINE, routine="quick")
    assert [k for k, _ in logs(driver)] == ["session_started", "command"]


def test_progress_logging_can_be_turned_off():
    driver, remaining = quick_step_progress(0)
    assert remaining == [30.0]  # only the one logged when the step was reached
    assert driver.state.phase is Phase.PAIN_AFTER
