"""``voice-coach routines``: table, detail, JSON shape, folders from flags and config."""

from __future__ import annotations

import json
import re
from pathlib import Path

from voice_coach.cli import main
from voice_coach.config import user_routines_dir

BUILTIN_IDS = ["heel-spur", "plantar-fasciitis", "foot-ankle", "neuropathy", "heel-pain-exercises"]


def _json(capsys, *args: str) -> list[dict]:
    assert main(["routines", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_is_a_list_of_routines_with_the_contract_keys(capsys):
    data = _json(capsys)
    assert isinstance(data, list) and [r["id"] for r in data] == BUILTIN_IDS
    for routine in data:
        assert {"id", "title", "source", "spoken_names", "steps"} <= set(routine)
        assert routine["source"].endswith(".txt") and "/" not in routine["source"]
        assert routine["spoken_names"] and all(isinstance(n, str) for n in routine["spoken_names"])
        for step in routine["steps"]:
            assert {"title", "kind", "per_foot", "seconds", "reps"} <= set(step)
            assert step["kind"] in ("timed", "reps", "manual")
            assert isinstance(step["per_foot"], bool)
            if step["kind"] == "timed":
                assert isinstance(step["seconds"], int) and step["reps"] is None
            elif step["kind"] == "reps":
                assert isinstance(step["reps"], int) and step["seconds"] is None
            else:
                assert step["seconds"] is None and step["reps"] is None


def test_json_values_match_the_files(capsys):
    heel = next(r for r in _json(capsys) if r["id"] == "heel-spur")
    assert heel["source"] == "000_3466b776a7fa7708.txt"
    assert heel["spoken_names"] == ["heel", "heel spur"]
    assert heel["steps"][0] == {**heel["steps"][0], "kind": "timed", "per_foot": True, "seconds": 120, "reps": None}
    assert heel["total_seconds"] == 5 * 2 * 120
    assert heel["builtin"] is True and heel["replaces_builtin"] is False


def test_routines_flag_adds_a_folder_and_can_repeat(capsys, routine_data, write_routine, tmp_path):
    write_routine(routine_data, folder=tmp_path / "a")
    write_routine(dict(routine_data, id="second", spoken_names=["second"]), folder=tmp_path / "b")
    data = _json(capsys, "--routines", str(tmp_path / "a"), "--routines", str(tmp_path / "b"))
    assert [r["id"] for r in data] == [*BUILTIN_IDS, "test-routine", "second"]
    mine = data[-2]
    assert mine["builtin"] is False and mine["file"] == str(tmp_path / "a" / "test-routine.toml")
    assert [s["kind"] for s in mine["steps"]] == ["timed", "reps", "manual"]


def test_config_routines_dirs_are_loaded_relative_to_the_config_file(capsys, routine_data, write_routine, tmp_path):
    write_routine(routine_data, folder=tmp_path / "cfg" / "mine")
    config = tmp_path / "cfg" / "settings.toml"
    config.write_text('routines_dirs = ["mine"]\n')
    assert main(["--config", str(config), "routines", "--json"]) == 0
    assert "test-routine" in [r["id"] for r in json.loads(capsys.readouterr().out)]


def test_table_lists_every_routine_and_marks_a_replaced_builtin(capsys, routine_data, write_routine):
    routine_data.update(id="neuropathy", title="Clinic neuropathy", spoken_names=["neuropathy"])
    path = write_routine(routine_data, folder=user_routines_dir())
    assert main(["routines"]) == 0
    out = capsys.readouterr().out
    for routine_id in BUILTIN_IDS:
        assert routine_id in out
    assert "Clinic neuropathy" in out and f"{path} (replaces the built-in)" in out
    assert "heel, heel spur" in out and "5 routines" in out


def test_detail_view_shows_steps(capsys):
    assert main(["routines", "heel-pain-exercises"]) == 0
    out = capsys.readouterr().out
    assert "Heel circles (reps, 10 reps x 3 s per foot, 1:00 total)" in out
    assert "004_a627a7490bc9df0b.txt" in out


def test_detail_of_unknown_routine_fails_cleanly(capsys):
    assert main(["routines", "toes"]) == 2
    err = capsys.readouterr().err
    assert "error: no routine with id 'toes'" in err and "heel-spur" in err


def test_bad_file_prints_error_and_fix_without_traceback(capsys, routine_data, write_routine, tmp_path):
    routine_data["steps"][1]["reps"] = 500
    path = write_routine(routine_data, folder=tmp_path / "bad")
    assert main(["routines", "--routines", str(tmp_path / "bad")]) == 2
    err = capsys.readouterr().err
    assert f"error: {path}, routine 'test-routine', step 2 (id 'count'), field 'reps'" in err
    assert "fix: reps steps need reps from 1 to 200" in err and "Traceback" not in err


def test_missing_routines_folder_is_reported(capsys, tmp_path):
    assert main(["routines", "--routines", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "fix:" in err


def test_spoken_name_that_makes_a_command_ambiguous_is_reported(capsys, routine_data, write_routine):
    # "start heel routine" would mean both heel-spur and this routine.
    routine_data["spoken_names"] = ["heel routine"]
    write_routine(routine_data, folder=user_routines_dir())
    assert main(["routines"]) == 2
    err = capsys.readouterr().err
    assert "start heel routine" in err and "spoken_names" in err


def test_the_example_in_the_docs_loads(capsys, tmp_path):
    docs = Path(__file__).resolve().parents[2] / "docs" / "routines.md"
    example = re.search(r"```toml\n(.*?)```", docs.read_text(encoding="utf-8"), re.S).group(1)
    (tmp_path / "docs-example").mkdir()
    (tmp_path / "docs-example" / "example.toml").write_text(example)
    data = _json(capsys, "--routines", str(tmp_path / "docs-example"))
    example_routine = data[-1]
    assert example_routine["id"] == "evening-calm"
    assert [s["kind"] for s in example_routine["steps"]] == ["manual", "timed", "reps"]
