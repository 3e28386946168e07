"""Drivers brought into each distinct engine state, by name (for the command matrix)."""

from __future__ import annotations

from voice_coach.intents import Intent
from voice_coach.session.state import ResumePoint

from tests.session.driver import Driver, into_first_step
from tests.session.routines_for_tests import make_library


def _started() -> Driver:
    driver = Driver(make_library(), "feet")
    driver.finish_speech()
    return driver


def _running() -> Driver:
    driver = _started()
    into_first_step(driver)
    driver.advance(driver.t + 30)
    return driver


def _at_step(step_id: str) -> Driver:
    driver = _running()
    while driver.state.current_step.id != step_id:
        driver.command(Intent.SKIP)
    return driver


# name -> (state to start from, commands to send from there)
RECIPES: dict[str, tuple[str, tuple[Intent, ...]]] = {
    "safety": ("pain_before", (Intent.SKIP,)),
    "safety_continue": ("safety", (Intent.YES,)),
    "paused": ("running", (Intent.PAUSE,)),
    "stopped_question": ("safety", (Intent.STOP,)),
    "pain_after": ("at_soak", (Intent.NEXT,)),
    "ended": ("pain_before", (Intent.END,)),
}


def _build(name: str) -> Driver:
    if name in RECIPES:
        base, commands = RECIPES[name]
        driver = _build(base)
        for intent in commands:
            driver.command(intent)
        return driver
    if name == "idle":
        return Driver(make_library())
    if name == "resume_offer":
        return Driver(make_library(), resume=ResumePoint("feet", 0, "right", 80.0))
    if name == "pain_before":
        return _started()
    if name == "announcing":
        driver = _started()
        into_first_step(driver)
        return driver
    if name == "running":
        return _running()
    if name == "at_soak":
        return _at_step("soak")
    if name == "manual":
        return _at_step("oil")
    driver = _at_step({"reps": "circles", "single_timer": "soak"}[name])
    driver.advance(driver.t + 3)
    return driver


STATE_NAMES = ("idle", "resume_offer", "pain_before", "safety", "safety_continue", "announcing", "running",
               "paused", "stopped_question", "reps", "manual", "single_timer", "pain_after", "ended")


def reach(name: str) -> Driver:
    driver = _build(name)
    assert driver.state is not None
    return driver
