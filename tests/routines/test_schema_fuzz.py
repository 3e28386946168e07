"""Whatever a TOML file holds, loading either succeeds or raises a RoutineError — never a crash."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routine_samples import valid_routine_data
from voice_coach.errors import RoutineError
from voice_coach.routines.model import Routine
from voice_coach.routines.schema import ROUTINE_KEYS, STEP_KEYS, parse_routine

# The value types tomllib can produce.
toml_scalars = st.one_of(
    st.text(max_size=12), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.booleans(),
    st.datetimes(), st.dates(), st.times(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _apply(data: dict[str, Any], path: list[Any], value: Any) -> None:
    target: Any = data
    for key in path[:-1]:
        if isinstance(target, dict) and key in target or isinstance(target, list) and key < len(target):
            target = target[key]
        else:
            return  # an earlier mutation replaced this part; nothing left to change
    if isinstance(target, dict):
        target[path[-1]] = value


@st.composite
def mutated_routines(draw) -> dict[str, Any]:
    """A valid routine with one to three fields replaced by arbitrary TOML values."""
    data = valid_routine_data()
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            path = [draw(st.sampled_from([*ROUTINE_KEYS, "extra"]))]
        else:
            path = ["steps", draw(st.integers(0, 2)), draw(st.sampled_from([*STEP_KEYS, "extra"]))]
        _apply(data, path, draw(toml_values))
    return data


@settings(max_examples=300, deadline=None)
@given(mutated_routines())
def test_mutated_routine_loads_or_fails_with_a_located_error(data):
    try:
        routine = parse_routine(data, "fuzz.toml")
    except RoutineError as exc:
        assert exc.message.startswith("fuzz.toml") and exc.fix
        assert "field '" in exc.message
    else:
        assert isinstance(routine, Routine) and routine.steps


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), toml_values, max_size=6))
def test_random_tables_never_crash(data):
    try:
        parse_routine(data, "random.toml")
    except RoutineError as exc:
        assert exc.message.startswith("random.toml")


@settings(max_examples=100, deadline=None)
@given(
    seconds=st.integers(1, 7200),
    reps=st.integers(1, 200),
    cadence=st.floats(0.5, 30.0),
    per_foot=st.booleans(),
    name=st.from_regex(r"[a-z]{1,8}( [a-z]{1,8}){0,2}", fullmatch=True),
)
def test_every_value_inside_the_documented_ranges_is_accepted(seconds, reps, cadence, per_foot, name):
    data = valid_routine_data()
    data["spoken_names"] = [name]
    data["steps"][0].update(seconds=seconds, per_foot=per_foot)
    data["steps"][1].update(reps=reps, seconds_per_rep=cadence, per_foot=per_foot)
    routine = parse_routine(data, "ranges.toml")
    assert routine.steps[0].seconds == seconds and routine.steps[1].reps == reps
    assert routine.steps[1].seconds_per_rep == cadence and routine.spoken_names == (name,)
    assert routine.steps[0].per_foot is per_foot


def test_toml_dates_are_rejected_as_text():
    data = valid_routine_data()
    data["title"] = dt.date(2024, 1, 1)
    with pytest.raises(RoutineError, match="field 'title': expected text"):
        parse_routine(data, "date.toml")
