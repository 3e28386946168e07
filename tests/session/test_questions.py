"""Pain questions and the safety check, every branch."""

from voice_coach.intents import Intent
from voice_coach.session.messages import EndSession, Log
from voice_coach.session.state import Phase

from tests.session.driver import Driver, texts
from tests.session.routines_for_tests import make_library

PAIN_Q = "On a scale of zero to ten, how is the pain? Say pain and a number, for example pain three."


def logs(driver, kind):
    return [a.data for _, a in driver.history if isinstance(a, Log) and a.kind == kind]


def started() -> Driver:
    driver = Driver(make_library(), "feet")
    driver.finish_speech()
    return driver


def test_routine_start_intro_then_pain_question():
    driver = Driver(make_library(), "feet")
    said = driver.said()
    assert said[:-1] == ["Test feet.", "A routine for tests.", "Say stop at any time if it hurts."]  # one per sentence
    assert said[-1] == PAIN_Q
    assert logs(driver, "session_started") == [{"routine": "feet"}]
    assert driver.state.phase is Phase.PAIN_BEFORE


def test_pain_answer_is_logged_then_first_safety_question():
    driver = started()
    said = texts(driver.command(Intent.PAIN, level=4))
    assert logs(driver, "pain") == [{"when": "before", "level": 4}]
    assert said == ["Thank you.", "Are there open wounds or blisters on the feet? Say yes or no."]


def test_pain_out_of_range_asks_again():
    driver = started()
    assert texts(driver.command(Intent.PAIN, level=11)) == [
        "Please say pain and a number from zero to ten, for example pain three. Or say skip."]
    assert driver.state.phase is Phase.PAIN_BEFORE and logs(driver, "pain") == []


def test_pain_can_be_skipped_with_no_or_skip():
    for intent in (Intent.NO, Intent.SKIP):
        driver = started()
        driver.command(intent)
        assert driver.state.phase is Phase.SAFETY, intent
        assert logs(driver, "pain") == []


def test_next_does_not_decline_the_pain_question():
    driver = started()
    said = texts(driver.command(Intent.NEXT))
    assert said == ["Please say pain and a number from zero to ten, for example pain three. Or say skip."]
    assert driver.state.phase is Phase.PAIN_BEFORE


def test_answers_heard_before_the_pain_question_is_asked_are_not_taken():
    for intent, slots in ((Intent.NO, {}), (Intent.YES, {}), (Intent.PAIN, {"level": 4})):
        driver = Driver(make_library(), "feet")  # the intro is still being spoken
        actions = driver.command(intent, **slots)
        said = texts(actions)
        assert said[0] == "Wait for my question, please."
        assert said[-1] == PAIN_Q  # the cut-off intro sentence is said again, then the question
        assert driver.state.phase is Phase.PAIN_BEFORE and logs(driver, "pain") == []
        driver.finish_speech()
        driver.command(Intent.PAIN, level=3)
        assert logs(driver, "pain") == [{"when": "before", "level": 3}]


def test_next_or_skip_during_the_intro_goes_to_the_pain_question_not_past_it():
    for intent in (Intent.NEXT, Intent.SKIP):
        driver = Driver(make_library(), "feet")
        said = texts(driver.command(intent))
        assert said == [PAIN_Q]
        assert driver.state.phase is Phase.PAIN_BEFORE
        # the question is being asked now: an answer counts
        driver.command(Intent.PAIN, level=5)
        assert logs(driver, "pain") == [{"when": "before", "level": 5}]


def test_yes_explains_and_asks_to_continue_then_no_ends_politely():
    driver = started()
    driver.command(Intent.SKIP)
    said = texts(driver.command(Intent.YES))
    assert said == ["Then avoid those areas completely.", "Do you want to continue? Say yes or no."]
    assert driver.state.phase is Phase.SAFETY_CONTINUE
    driver.finish_speech()
    actions = driver.command(Intent.NO)
    assert texts(actions) == ["All right, we will stop here. Take care, and check with a professional "
                              "before trying again."]
    assert isinstance(actions[-1], EndSession)
    assert logs(driver, "session_ended") == [{"completed": False}]
    assert driver.state.phase is Phase.ENDED


def test_yes_then_continue_goes_to_the_second_question_and_at_most_two_are_asked():
    driver = started()
    driver.command(Intent.SKIP)
    driver.command(Intent.YES)
    driver.finish_speech()
    said = texts(driver.command(Intent.YES))
    assert said == ["All right, carefully then.", "Do you have diabetes or numbness in the feet? Say yes or no."]
    driver.finish_speech()
    said = texts(driver.command(Intent.NO))
    assert said[0].startswith("First, step one of four: Ball rolling.")
    assert not any("third question" in s for s in driver.said())
    assert driver.state.phase is Phase.STEP


def test_routine_without_safety_questions_goes_straight_to_the_steps():
    driver = Driver(make_library(), "quick")
    driver.finish_speech()
    driver.command(Intent.PAIN, level=2)
    assert driver.state.phase is Phase.STEP


def test_pain_question_at_the_end_then_completed():
    driver = Driver(make_library(), "quick")
    driver.finish_speech()
    driver.command(Intent.SKIP)
    driver.command(Intent.NEXT)  # the only step
    assert driver.state.phase is Phase.PAIN_AFTER
    assert driver.said()[-1] == PAIN_Q
    driver.finish_speech()
    actions = driver.command(Intent.PAIN, level=1)
    assert logs(driver, "pain") == [{"when": "after", "level": 1}]
    assert logs(driver, "session_ended") == [{"completed": True}]
    assert isinstance(actions[-1], EndSession)


def test_skipping_the_last_pain_question_still_completes():
    driver = Driver(make_library(), "quick")
    driver.finish_speech()
    driver.command(Intent.SKIP)
    driver.command(Intent.SKIP)
    driver.finish_speech()
    driver.command(Intent.NO)
    assert logs(driver, "session_ended") == [{"completed": True}]


def test_answers_that_do_not_fit_get_a_prompt():
    driver = started()
    driver.command(Intent.SKIP)
    said = texts(driver.command(Intent.NEXT))
    assert said == ["Please answer yes or no. Are there open wounds or blisters on the feet? Say yes or no."]
    said = texts(driver.command(Intent.PAIN, level=3))
    assert said[0].startswith("Please answer yes or no.")
    assert driver.state.phase is Phase.SAFETY


def test_routine_without_steps_goes_to_the_closing_question():
    from voice_coach.routines.library import RoutineLibrary
    from voice_coach.routines.model import Routine

    empty = Routine(id="empty", title="Empty", source="x.txt", spoken_names=("empty",), intro="", steps=())
    driver = Driver(RoutineLibrary([empty]), "empty")
    driver.finish_speech()
    driver.command(Intent.SKIP)
    assert driver.state.phase is Phase.PAIN_AFTER


def test_next_after_stop_cut_the_unasked_pain_question_asks_it():
    driver = Driver(make_library(), "feet")  # the intro is being said, the pain question waits behind it
    driver.command(Intent.STOP)
    said = texts(driver.command(Intent.NEXT))
    assert said == [PAIN_Q] and not driver.state.paused
    driver.command(Intent.PAIN, level=2)
    assert logs(driver, "pain") == [{"when": "before", "level": 2}]


def test_an_early_answer_after_stop_cut_the_unasked_question_asks_it():
    driver = Driver(make_library(), "feet")
    driver.command(Intent.STOP)
    driver.finish_speech()
    said = texts(driver.command(Intent.PAIN, level=4))
    assert said == [PAIN_Q] and logs(driver, "pain") == []
