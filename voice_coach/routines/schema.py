"""Validate a parsed routine table and build the frozen ``Routine`` from it.

Every error names the file, the routine id, the step (number counted from 1
and its id) and the field, says what was wrong, and (as the fix) what is
allowed — a therapist editing a file by hand must be able to act on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from voice_coach.errors import RoutineError
from voice_coach.routines.model import Routine, SafetyQuestion, Step, StepKind

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Spoken names go straight into speech grammars: plain lowercase words only.
SPOKEN_NAME_PATTERN = re.compile(r"^[a-z]+( [a-z]+)*$")

MAX_SAFETY_QUESTIONS = 2
SECONDS_RANGE = (1, 7200)
REPS_RANGE = (1, 200)
SECONDS_PER_REP_RANGE = (0.5, 30.0)

ROUTINE_REQUIRED = ("id", "title", "source", "spoken_names", "intro", "steps")
ROUTINE_KEYS = (*ROUTINE_REQUIRED, "safety_questions", "cautions", "closing")
STEP_REQUIRED = ("id", "title", "kind", "instructions")
STEP_KEYS = (*STEP_REQUIRED, "seconds", "per_foot", "reps", "seconds_per_rep", "tools", "cautions")
QUESTION_KEYS = ("question", "if_yes")

# Which duration keys each step kind needs, and which it must not have.
_KIND_NEEDS = {
    StepKind.TIMED: ("seconds",),
    StepKind.REPS: ("reps", "seconds_per_rep"),
    StepKind.MANUAL: (),
}
_DURATION_KEYS = ("seconds", "reps", "seconds_per_rep")


@dataclass(frozen=True)
class Where:
    """The position of a value inside a routine file, for error messages."""

    file: str
    routine: str | None = None
    step_number: int | None = None
    step_id: str | None = None
    section: str | None = None  # e.g. "safety question 2"

    def label(self, field: str | None = None) -> str:
        parts = [self.file]
        if self.routine is not None:
            parts.append(f"routine '{self.routine}'")
        if self.step_number is not None:
            step = f"step {self.step_number}"
            if self.step_id is not None:
                step += f" (id '{self.step_id}')"
            parts.append(step)
        if self.section is not None:
            parts.append(self.section)
        if field is not None:
            parts.append(f"field '{field}'")
        return ", ".join(parts)

    def fail(self, field: str | None, what: str, allowed: str) -> NoReturn:
        raise RoutineError(f"{self.label(field)}: {what}", allowed)


def _type_name(value: Any) -> str:
    return {str: "text", bool: "true/false", int: "whole number", float: "number",
            list: "list", dict: "table"}.get(type(value), type(value).__name__)


def _check_keys(where: Where, table: dict[str, Any], allowed: tuple[str, ...],
                required: tuple[str, ...], what: str) -> None:
    for key in table:
        if key not in allowed:
            where.fail(key, "unknown key", f"allowed keys: {', '.join(sorted(allowed))}")
    for key in required:
        if key not in table:
            where.fail(key, "missing", f"every {what} needs {', '.join(required)}")


def _text(where: Where, table: dict[str, Any], key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        where.fail(key, f"expected text, got {_type_name(value)} {value!r}", f'write it in quotes, e.g. {key} = "…"')
    # Multi-line TOML strings are fine to write; speech wants one flowing line.
    cleaned = " ".join(value.split())
    if not cleaned and default is None:
        where.fail(key, "is empty", "write a short spoken sentence")
    return cleaned


def _text_list(where: Where, table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list):
        where.fail(key, f"expected a list of text, got {_type_name(value)}", f'e.g. {key} = ["first", "second"]')
    items = []
    for n, item in enumerate(value, start=1):
        if not isinstance(item, str) or not item.strip():
            where.fail(key, f"item {n} is {item!r}", "every item must be non-empty text in quotes")
        items.append(" ".join(item.split()))
    return tuple(items)


def _identifier(where: Where, table: dict[str, Any], key: str = "id") -> str:
    value = _text(where, table, key)
    if not ID_PATTERN.match(value):
        where.fail(key, f"{value!r} is not a valid id",
                   "use lowercase letters and digits joined by single hyphens, e.g. 'heel-spur'")
    return value


def _ranged(where: Where, table: dict[str, Any], key: str, bounds: tuple[float, float], why: str,
            whole: bool) -> int | float:
    value = table[key]
    low, high = bounds
    allowed = f"{why} {low:g} to {high:g}"
    accepted = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, accepted):
        kind = "a whole number" if whole else "a number"
        where.fail(key, f"expected {kind}, got {_type_name(value)} {value!r}", allowed)
    if not low <= value <= high:
        where.fail(key, f"{value:g} is out of range", allowed)
    return int(value) if whole else float(value)


def _flag(where: Where, table: dict[str, Any], key: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        where.fail(key, f"expected true or false, got {value!r}", f"write {key} = true or {key} = false (no quotes)")
    return value


def _table_list(where: Where, table: dict[str, Any], key: str, how: str) -> list[dict[str, Any]]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        where.fail(key, f"expected a list of tables, got {_type_name(value)}", how)
    return value


def parse_step(where: Where, raw: dict[str, Any]) -> Step:
    """``where`` already carries file, routine and step number."""
    if "id" in raw and isinstance(raw["id"], str):
        where = replace(where, step_id=raw["id"])
    _check_keys(where, raw, STEP_KEYS, STEP_REQUIRED, "step")
    step_id = _identifier(where, raw)
    kind_text = _text(where, raw, "kind")
    try:
        kind = StepKind(kind_text)
    except ValueError:
        where.fail("kind", f"{kind_text!r} is not a step kind",
                   f"kind must be one of {', '.join(k.value for k in StepKind)}")
    needs = _KIND_NEEDS[kind]
    for key in _DURATION_KEYS:
        if key in needs and key not in raw:
            where.fail(key, f"missing for a {kind.value} step", f"{kind.value} steps need {' and '.join(needs)}")
        if key not in needs and key in raw:
            uses = f"uses {' and '.join(needs)}" if needs else "has no timer or count (it waits for 'next')"
            where.fail(key, f"not allowed on a {kind.value} step", f"a {kind.value} step {uses}; remove {key}")
    per_foot = _flag(where, raw, "per_foot")
    if per_foot and kind is StepKind.MANUAL:
        where.fail("per_foot", "not allowed on a manual step",
                   "per_foot applies to timed and reps steps; write the manual step so it covers both feet")
    return Step(
        id=step_id,
        title=_text(where, raw, "title"),
        kind=kind,
        instructions=_text(where, raw, "instructions"),
        seconds=_ranged(where, raw, "seconds", SECONDS_RANGE, "timed steps need seconds from", whole=True)
        if "seconds" in raw else None,
        per_foot=per_foot,
        reps=_ranged(where, raw, "reps", REPS_RANGE, "reps steps need reps from", whole=True)
        if "reps" in raw else None,
        seconds_per_rep=_ranged(where, raw, "seconds_per_rep", SECONDS_PER_REP_RANGE,
                                "reps steps need seconds_per_rep from", whole=False)
        if "seconds_per_rep" in raw else None,
        tools=_text_list(where, raw, "tools"),
        cautions=_text_list(where, raw, "cautions"),
    )


def _spoken_names(where: Where, raw: dict[str, Any]) -> tuple[str, ...]:
    value = raw["spoken_names"]
    if not isinstance(value, list) or not value:
        where.fail("spoken_names", f"expected a non-empty list, got {value!r}",
                   'list how people say it, e.g. spoken_names = ["heel", "heel spur"]')
    names: list[str] = []
    for n, name in enumerate(value, start=1):
        if not isinstance(name, str) or not SPOKEN_NAME_PATTERN.match(name):
            where.fail("spoken_names", f"item {n} {name!r} is not plain lowercase words",
                       "use lowercase letters a–z with single spaces between words (no digits, "
                       "hyphens or punctuation), e.g. \"heel spur\"")
        if name in names:
            where.fail("spoken_names", f"{name!r} is listed twice", "list each spoken name once")
        names.append(name)
    return tuple(names)


def _safety_questions(where: Where, raw: dict[str, Any]) -> tuple[SafetyQuestion, ...]:
    how = 'write each as [[safety_questions]] with question = "…?" and if_yes = "…"'
    tables = _table_list(where, raw, "safety_questions", how)
    if len(tables) > MAX_SAFETY_QUESTIONS:
        where.fail("safety_questions", f"{len(tables)} questions",
                   f"at most {MAX_SAFETY_QUESTIONS} yes/no questions; merge or drop some")
    questions = []
    for n, table in enumerate(tables, start=1):
        at = replace(where, section=f"safety question {n}")
        _check_keys(at, table, QUESTION_KEYS, QUESTION_KEYS, "safety question")
        questions.append(SafetyQuestion(question=_text(at, table, "question"), if_yes=_text(at, table, "if_yes")))
    return tuple(questions)


def parse_routine(raw: dict[str, Any], file_label: str) -> Routine:
    """Validate one file's top-level table; raises ``RoutineError`` on the first problem."""
    where = Where(file=file_label)
    if isinstance(raw.get("id"), str):
        where = replace(where, routine=raw["id"])
    _check_keys(where, raw, ROUTINE_KEYS, ROUTINE_REQUIRED, "routine")
    routine_id = _identifier(where, raw)
    step_tables = _table_list(where, raw, "steps", 'write each step as a [[steps]] table')
    if not step_tables:
        where.fail("steps", "no steps", "add at least one [[steps]] table")
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for number, table in enumerate(step_tables, start=1):
        step = parse_step(replace(where, step_number=number), table)
        if step.id in seen:
            replace(where, step_number=number, step_id=step.id).fail(
                "id", f"the same id as step {seen[step.id]}", "give every step in a routine its own id")
        seen[step.id] = number
        steps.append(step)
    return Routine(
        id=routine_id,
        title=_text(where, raw, "title"),
        source=_text(where, raw, "source"),
        spoken_names=_spoken_names(where, raw),
        intro=_text(where, raw, "intro"),
        steps=tuple(steps),
        safety_questions=_safety_questions(where, raw),
        cautions=_text_list(where, raw, "cautions"),
        closing=_text(where, raw, "closing", default=""),
    )
