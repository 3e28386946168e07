"""Sample routine data and a tiny TOML writer shared by the routine tests."""

from __future__ import annotations

import copy
import json
from typing import Any


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(value)


def to_toml(data: dict[str, Any]) -> str:
    """Enough TOML for routine files: scalars, lists of scalars, arrays of flat tables."""
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    for key, items in tables:
        for item in items:
            lines += ["", f"[[{key}]]", *(f"{k} = {_value(v)}" for k, v in item.items())]
    return "\n".join(lines) + "\n"


def valid_routine_data() -> dict[str, Any]:
    return copy.deepcopy({
        "id": "test-routine",
        "title": "Test routine",
        "source": "my own notes",
        "spoken_names": ["test routine"],
        "intro": "A short test. Say stop at any time if it hurts.",
        "cautions": ["Be gentle."],
        "closing": "All done.",
        "safety_questions": [{"question": "Any open wounds?", "if_yes": "Avoid them."}],
        "steps": [
            {"id": "press", "title": "Press", "kind": "timed", "seconds": 60, "per_foot": True,
             "instructions": "Press gently.", "tools": ["a ball"]},
            {"id": "count", "title": "Count", "kind": "reps", "reps": 10, "seconds_per_rep": 2.5,
             "instructions": "Move with the count."},
            {"id": "dry", "title": "Dry", "kind": "manual", "instructions": "Dry your feet. Say next."},
        ],
    })
