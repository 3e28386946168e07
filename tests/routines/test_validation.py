"""Every way a routine file can be wrong gives an error naming file, routine, step and field."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from voice_coach.errors import RoutineError
from voice_coach.routines import StepKind, load_routine_file

Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _drop(path: tuple) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


def test_valid_file_loads_into_the_model(routine_data, write_routine):
    path = write_routine(routine_data)
    routine = load_routine_file(path)
    assert routine.id == "test-routine" and routine.origin == path
    press, count, dry = routine.steps
    assert (press.kind, press.seconds, press.per_foot, press.tools) == (StepKind.TIMED, 60, True, ("a ball",))
    assert (count.kind, count.reps, count.seconds_per_rep, count.per_foot) == (StepKind.REPS, 10, 2.5, False)
    assert (dry.kind, dry.seconds, dry.reps) == (StepKind.MANUAL, None, None)
    assert routine.safety_questions[0].if_yes == "Avoid them."


def test_multiline_text_is_joined_into_one_spoken_line(routine_data, write_routine):
    path = write_routine(routine_data)
    text = path.read_text().replace('intro = "A short test. Say stop at any time if it hurts."',
                                    'intro = """\nFirst line,\n   second line.\n"""')
    path.write_text(text)
    assert load_routine_file(path).intro == "First line, second line."


# (mutation, step label expected in the message or None, field, words in the message, words in the fix)
CASES = {
    "unknown top key": (_set(("stepz",), []), None, "stepz", "unknown key", "allowed keys: cautions, closing"),
    "missing title": (_drop(("title",)), None, "title", "missing", "id, title, source"),
    "title not text": (_set(("title",), 5), None, "title", "expected text", "quotes"),
    "empty intro": (_set(("intro",), "   "), None, "intro", "is empty", "spoken sentence"),
    "bad routine id": (_set(("id",), "Heel_Spur"), None, "id", "not a valid id", "lowercase letters and digits"),
    "spoken name uppercase": (_set(("spoken_names",), ["Heel"]), None, "spoken_names", "plain lowercase",
                              "lowercase letters a–z"),
    "spoken name digits": (_set(("spoken_names",), ["heel 2"]), None, "spoken_names", "plain lowercase", "no digits"),
    "spoken name hyphen": (_set(("spoken_names",), ["heel-spur"]), None, "spoken_names", "plain lowercase",
                           "hyphens"),
    "spoken names empty": (_set(("spoken_names",), []), None, "spoken_names", "non-empty list", "spoken_names = ["),
    "spoken names text": (_set(("spoken_names",), "heel"), None, "spoken_names", "non-empty list", "spoken_names"),
    "spoken name twice": (_set(("spoken_names",), ["heel", "heel"]), None, "spoken_names", "listed twice", "once"),
    "three safety questions": (_set(("safety_questions",), [{"question": "a?", "if_yes": "b"}] * 3), None,
                               "safety_questions", "3 questions", "at most 2"),
    "question without if_yes": (_set(("safety_questions",), [{"question": "a?"}]), "safety question 1",
                                "if_yes", "missing", "question, if_yes"),
    "question unknown key": (_set(("safety_questions",), [{"question": "a?", "if_yes": "b", "if_no": "c"}]),
                             "safety question 1", "if_no", "unknown key", "if_yes, question"),
    "cautions not a list": (_set(("cautions",), "careful"), None, "cautions", "list of text", "cautions = ["),
    "empty caution": (_set(("cautions",), ["ok", ""]), None, "cautions", "item 2", "non-empty"),
    "no steps": (_set(("steps",), []), None, "steps", "no steps", "[[steps]]"),
    "steps not tables": (_set(("steps",), ["press"]), None, "steps", "list of tables", "[[steps]]"),
    "kind unknown": (_set(("steps", 0, "kind"), "timer"), "step 1 (id 'press')", "kind", "'timer' is not a step kind",
                     "kind must be one of timed, reps, manual"),
    "timed without seconds": (_drop(("steps", 0, "seconds")), "step 1 (id 'press')", "seconds",
                              "missing for a timed step", "timed steps need seconds"),
    "seconds zero": (_set(("steps", 0, "seconds"), 0), "step 1 (id 'press')", "seconds", "0 is out of range",
                     "seconds from 1 to 7200"),
    "seconds too long": (_set(("steps", 0, "seconds"), 7201), "step 1 (id 'press')", "seconds", "out of range",
                         "1 to 7200"),
    "seconds as text": (_set(("steps", 0, "seconds"), "120"), "step 1 (id 'press')", "seconds",
                        "expected a whole number", "1 to 7200"),
    "seconds fractional": (_set(("steps", 0, "seconds"), 1.5), "step 1 (id 'press')", "seconds",
                           "expected a whole number", "1 to 7200"),
    "seconds boolean": (_set(("steps", 0, "seconds"), True), "step 1 (id 'press')", "seconds",
                        "expected a whole number", "1 to 7200"),
    "timed with reps": (_set(("steps", 0, "reps"), 5), "step 1 (id 'press')", "reps", "not allowed on a timed step",
                        "uses seconds"),
    "reps zero": (_set(("steps", 1, "reps"), 0), "step 2 (id 'count')", "reps", "out of range", "reps from 1 to 200"),
    "reps too many": (_set(("steps", 1, "reps"), 201), "step 2 (id 'count')", "reps", "out of range", "1 to 200"),
    "reps missing cadence": (_drop(("steps", 1, "seconds_per_rep")), "step 2 (id 'count')", "seconds_per_rep",
                             "missing for a reps step", "reps and seconds_per_rep"),
    "cadence too fast": (_set(("steps", 1, "seconds_per_rep"), 0.4), "step 2 (id 'count')", "seconds_per_rep",
                         "out of range", "0.5 to 30"),
    "cadence too slow": (_set(("steps", 1, "seconds_per_rep"), 31), "step 2 (id 'count')", "seconds_per_rep",
                         "out of range", "0.5 to 30"),
    "reps with seconds": (_set(("steps", 1, "seconds"), 30), "step 2 (id 'count')", "seconds",
                          "not allowed on a reps step", "uses reps and seconds_per_rep"),
    "manual with seconds": (_set(("steps", 2, "seconds"), 30), "step 3 (id 'dry')", "seconds",
                            "not allowed on a manual step", "waits for 'next'"),
    "manual per foot": (_set(("steps", 2, "per_foot"), True), "step 3 (id 'dry')", "per_foot",
                        "not allowed on a manual step", "timed and reps steps"),
    "per_foot as text": (_set(("steps", 0, "per_foot"), "yes"), "step 1 (id 'press')", "per_foot",
                         "expected true or false", "per_foot = true"),
    "step unknown key": (_set(("steps", 0, "minutes"), 2), "step 1 (id 'press')", "minutes", "unknown key",
                         "allowed keys: cautions, id, instructions, kind, per_foot"),
    "step missing instructions": (_drop(("steps", 2, "instructions")), "step 3 (id 'dry')", "instructions",
                                  "missing", "id, title, kind, instructions"),
    "step id invalid": (_set(("steps", 1, "id"), "Count Step"), "step 2 (id 'Count Step')", "id",
                        "not a valid id", "lowercase"),
    "step id repeated": (_set(("steps", 2, "id"), "press"), "step 3 (id 'press')", "id", "same id as step 1",
                         "its own id"),
    "tools not a list": (_set(("steps", 0, "tools"), "ball"), "step 1 (id 'press')", "tools", "list of text",
                         "tools = ["),
    "step caution empty": (_set(("steps", 1, "cautions"), [" "]), "step 2 (id 'count')", "cautions", "item 1",
                           "non-empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_names_file_routine_step_and_field(case, routine_data, write_routine):
    mutate, step_label, field, what, allowed = CASES[case]
    mutate(routine_data)
    path = write_routine(routine_data, name="bad.toml")
    with pytest.raises(RoutineError) as caught:
        load_routine_file(path)
    message, fix = caught.value.message, caught.value.fix
    assert message.startswith(str(path)), message
    routine_label = f"routine '{routine_data['id']}'" if isinstance(routine_data.get("id"), str) else None
    assert routine_label in message, message
    if step_label:
        assert step_label in message, message
    assert f"field '{field}'" in message, message
    assert what in message, message
    assert allowed in fix, fix


def test_missing_id_still_names_the_file_and_field(routine_data, write_routine):
    del routine_data["id"]
    path = write_routine(routine_data, name="noid.toml")
    with pytest.raises(RoutineError, match=r"noid\.toml.*field 'id': missing"):
        load_routine_file(path)


def test_toml_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('id = "x"\ntitle = Heel spur\n')
    with pytest.raises(RoutineError) as caught:
        load_routine_file(path)
    assert str(path) in caught.value.message
    assert "line 2" in caught.value.message and "column" in caught.value.message
    assert "double quotes" in caught.value.fix


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Fuß"\n'.encode("latin-1"))
    with pytest.raises(RoutineError, match="not UTF-8"):
        load_routine_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(RoutineError, match="cannot read"):
        load_routine_file(tmp_path / "nope.toml")
