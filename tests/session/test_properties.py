"""Property: any command sequence with any time gaps never breaks the engine.

No exception, no negative or overrun timer, deadlines never in the past once
delivered, and the session always ends or can be ended with "end".
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voice_coach.intents import Intent
from voice_coach.session import describe, next_deadline
from voice_coach.session.messages import Say
from voice_coach.session.state import Phase, ResumePoint

from tests.session.driver import Driver
from tests.session.routines_for_tests import make_library

LIBRARY = make_library()

commands = st.one_of(
    st.sampled_from([i for i in Intent if i not in (Intent.START_ROUTINE, Intent.ADD_TIME, Intent.PAIN)]).map(
        lambda i: (i, {})),
    st.sampled_from(["feet", "quick", "unknown"]).map(lambda r: (Intent.START_ROUTINE, {"routine": r})),
    st.integers(-5, 5000).map(lambda s: (Intent.ADD_TIME, {"seconds": s})),
    st.integers(-2, 12).map(lambda n: (Intent.PAIN, {"level": n})),
)
gaps = st.one_of(st.just(0.0), st.floats(0.0, 5.0), st.floats(5.0, 400.0))
steps_strategy = st.lists(st.tuples(gaps, st.booleans(), commands), max_size=40)
starts = st.sampled_from([
    {}, {"routine_id": "feet"}, {"routine_id": "quick"},
    {"resume": ResumePoint("feet", 1, "right", 1.5)}, {"resume": ResumePoint("feet", 3, None, 599.0)},
])


def check_invariants(driver: Driver) -> None:
    state = driver.state
    if state.timer is not None:
        assert 0.0 <= state.timer.remaining(driver.t) <= state.timer.duration_s
        assert state.timer.duration_s > 0 or state.timer.remaining(driver.t) == 0
    if state.phase is Phase.STEP:
        assert 0 <= state.step_index < len(state.routine.steps)
    deadline = next_deadline(state)
    assert deadline is None or deadline >= driver.t - 1e-6, "a deadline was left in the past"
    view = describe(state, driver.t)
    assert view.seconds_left is None or view.seconds_left >= 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=starts, sequence=steps_strategy)
def test_random_command_sequences(start, sequence):
    driver = Driver(LIBRARY, **start)
    for gap, speech_done, (intent, slots) in sequence:
        if speech_done:
            driver.advance(driver.t + gap)  # ticks at every deadline, speech reported finished
        else:
            driver.send_tick_at(driver.t + gap)  # speech still going: only the clock moves
        driver.command(intent, **slots)
        check_invariants(driver)
        assert all(a.text.strip() for a in driver.last if isinstance(a, Say))
    # Left alone for four hours it either ends or waits for a command; "end" always ends it.
    driver.advance(driver.t + 4 * 3600)
    check_invariants(driver)
    if driver.state.phase is not Phase.ENDED:
        assert next_deadline(driver.state) is None
        driver.command(Intent.END)
    if driver.state.phase is Phase.PAIN_AFTER:  # ended during the steps: the closing question, declined
        driver.finish_speech()
        driver.command(Intent.NO)
    assert driver.state.phase is Phase.ENDED
