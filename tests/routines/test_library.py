"""Loading the library: built-ins, the per-user folder, extra folders, overrides and clashes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from voice_coach.config import user_routines_dir
from voice_coach.errors import RoutineError, VoiceCoachError
from voice_coach.routines import RoutineLibrary, UnknownRoutineError, load_library

BUILTIN_ORDER = ("heel-spur", "plantar-fasciitis", "foot-ankle", "neuropathy", "heel-pain-exercises")


def test_builtins_load_in_article_order_without_any_user_folder():
    assert not user_routines_dir().exists()
    library = load_library()
    assert library.ids() == BUILTIN_ORDER
    assert len(library) == 5 and [r.id for r in library] == list(BUILTIN_ORDER)
    assert library.all() == tuple(library)
    assert "neuropathy" in library and "nope" not in library
    assert all(library.is_builtin(rid) and not library.replaced_builtin(rid) for rid in BUILTIN_ORDER)
    assert all(r.origin is not None and r.origin.name.endswith(".toml") for r in library)


def test_spoken_names_map_to_ids():
    assert load_library().by_spoken_name() == {
        "heel": "heel-spur",
        "heel spur": "heel-spur",
        "plantar fasciitis": "plantar-fasciitis",
        "relaxation": "foot-ankle",
        "foot and ankle": "foot-ankle",
        "neuropathy": "neuropathy",
        "heel pain exercises": "heel-pain-exercises",
    }


def test_unknown_id_lists_the_known_ones():
    with pytest.raises(UnknownRoutineError) as caught:
        load_library().get("toes")
    assert isinstance(caught.value, VoiceCoachError)
    assert "'toes'" in caught.value.message
    assert all(rid in caught.value.fix for rid in BUILTIN_ORDER)


def test_user_routine_replaces_builtin_in_place(routine_data, write_routine):
    routine_data.update(id="heel-spur", title="My heel routine", spoken_names=["heel"])
    path = write_routine(routine_data, name="mine.toml", folder=user_routines_dir())
    library = load_library()
    assert library.ids() == BUILTIN_ORDER  # same place in the order
    assert library.get("heel-spur").title == "My heel routine"
    assert library.get("heel-spur").origin == path
    assert library.replaced_builtin("heel-spur") and not library.is_builtin("heel-spur")
    # the built-in's other spoken name went with it
    assert "heel spur" not in library.by_spoken_name()


def test_user_routines_come_after_builtins(routine_data, write_routine, tmp_path):
    write_routine(routine_data, folder=user_routines_dir())
    extra = dict(routine_data, id="zz-extra", spoken_names=["extra"])
    write_routine(extra, folder=tmp_path / "extra")
    library = load_library(extra_dirs=[tmp_path / "extra"])
    assert library.ids() == (*BUILTIN_ORDER, "test-routine", "zz-extra")
    assert not library.is_builtin("test-routine")


def test_include_user_dir_false_ignores_the_user_folder(routine_data, write_routine):
    write_routine(routine_data, folder=user_routines_dir())
    assert "test-routine" not in load_library(include_user_dir=False)
    assert "test-routine" in load_library()


def test_two_user_files_with_one_id_is_an_error_naming_both(routine_data, write_routine, tmp_path):
    first = write_routine(routine_data, name="a.toml", folder=user_routines_dir())
    second = write_routine(dict(routine_data, spoken_names=["other"]), name="b.toml", folder=tmp_path / "more")
    with pytest.raises(RoutineError) as caught:
        load_library(extra_dirs=[str(tmp_path / "more")])
    text = str(caught.value)
    assert str(first) in text and str(second) in text and "'test-routine'" in text


def test_same_folder_named_twice_is_not_a_clash(routine_data, write_routine):
    write_routine(routine_data, folder=user_routines_dir())
    library = load_library(extra_dirs=[user_routines_dir(), str(user_routines_dir())])
    assert "test-routine" in library


def test_spoken_name_clash_names_both_files(routine_data, write_routine):
    routine_data["spoken_names"] = ["neuropathy"]
    path = write_routine(routine_data, folder=user_routines_dir())
    with pytest.raises(RoutineError) as caught:
        load_library()
    text = str(caught.value)
    assert "'neuropathy'" in text and "'test-routine'" in text
    assert str(path) in text and "neuropathy.toml" in text


def test_library_built_directly_rejects_duplicates_and_clashes():
    library = load_library()
    heel, plantar = library.get("heel-spur"), library.get("plantar-fasciitis")
    with pytest.raises(RoutineError, match="also used by"):
        RoutineLibrary([heel, heel])
    clash = RoutineLibrary([heel, replace(plantar, spoken_names=("heel",))])
    with pytest.raises(RoutineError, match="spoken name 'heel'.*'heel-spur'.*'plantar-fasciitis'"):
        clash.by_spoken_name()


def test_missing_extra_folder_is_an_error_with_a_fix(tmp_path):
    with pytest.raises(RoutineError) as caught:
        load_library(extra_dirs=[tmp_path / "nowhere"])
    assert "does not exist" in caught.value.message and "--routines" in caught.value.fix


def test_extra_folder_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(RoutineError, match="is not a folder"):
        load_library(extra_dirs=[tmp_path / "file"])


def test_user_routines_path_that_is_a_file():
    user_routines_dir().parent.mkdir(parents=True)
    user_routines_dir().write_text("")
    with pytest.raises(RoutineError, match="is a file"):
        load_library()


def test_other_files_in_a_folder_are_ignored_but_yaml_is_explained(routine_data, write_routine, tmp_path):
    folder = tmp_path / "mixed"
    write_routine(routine_data, folder=folder)
    (folder / "README.md").write_text("notes")
    (folder / ".#test-routine.toml").write_text("editor lock file")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "broken.toml").write_text("not toml at all [")
    assert "test-routine" in load_library(extra_dirs=[folder])
    (folder / "other.yaml").write_text("id: other")
    with pytest.raises(RoutineError) as caught:
        load_library(extra_dirs=[folder])
    assert "must be TOML" in caught.value.message and "other.toml" in caught.value.fix


def test_a_bad_user_file_stops_loading_with_its_name(routine_data, write_routine):
    routine_data["steps"][0]["kind"] = "stretch"
    path = write_routine(routine_data, folder=user_routines_dir())
    with pytest.raises(RoutineError) as caught:
        load_library()
    assert str(path) in caught.value.message and "field 'kind'" in caught.value.message
