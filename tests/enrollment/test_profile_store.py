"""Voice profiles on disk: owner-only, embeddings only, listed and forgotten by name."""

import os
import stat

import numpy as np
import pytest

from voice_coach.config import data_dir
from voice_coach.enrollment.store import ProfileStore, check_name
from voice_coach.errors import ConfigError
from voice_coach.recognition.neural.profile import VoiceProfile


def profile(user="anna", takes=3):
    rng = np.random.default_rng(1)
    return VoiceProfile(user, ("next",) * takes, rng.standard_normal((takes, 673)).astype(np.float32),
                        ("next",) * takes, {"complete": True})


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_saved_in_the_data_folder_owner_only_whatever_the_umask():
    old = os.umask(0o000)
    try:
        path = ProfileStore().save(profile())
    finally:
        os.umask(old)
    assert path.parent == data_dir() / "profiles"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(data_dir()) == 0o700  # created by us, so private too


def test_an_existing_loose_file_becomes_private_when_rewritten():
    store = ProfileStore()
    path = store.save(profile())
    os.chmod(path, 0o644)
    os.chmod(path.parent, 0o755)
    store.save(profile(takes=4))
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "no temporary file left behind"


def test_round_trip_keeps_vectors_labels_and_meta():
    store = ProfileStore()
    original = profile()
    store.save(original)
    loaded = store.load("anna")
    assert loaded.user == "anna" and loaded.labels == original.labels and loaded.texts == original.texts
    np.testing.assert_array_equal(loaded.vectors, original.vectors)
    assert loaded.meta["complete"] is True


def test_only_embeddings_are_stored():
    path = ProfileStore().save(profile())
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == ["meta", "vectors"]
        assert data["vectors"].shape == (3, 673)  # one pooled vector per take, not samples


def test_takes_embedded_at_several_phases_count_once():
    rng = np.random.default_rng(2)
    p = VoiceProfile("anna", (), np.zeros((0, 0), np.float32))
    p = p.with_take("next", rng.standard_normal((4, 673)), "next")
    p = p.with_take("next", rng.standard_normal((4, 673)), "next")
    p = p.with_take("stop", rng.standard_normal(673), "stop")
    assert (p.takes, p.count("next"), p.count("stop"), len(p.vectors)) == (3, 2, 1, 9)
    store = ProfileStore()
    store.save(p)
    loaded = store.load("anna")
    assert (loaded.takes, loaded.count("next"), loaded.take_ids) == (3, 2, p.take_ids)


def test_list_and_forget():
    store = ProfileStore()
    store.save(profile("anna"))
    store.save(profile("ben", takes=1))
    assert store.names() == ["anna", "ben"]
    assert [(s.user, s.takes, s.commands) for s in store.summaries()] == [("anna", 3, 1), ("ben", 1, 1)]
    removed = store.forget("anna")
    assert not removed.exists()
    assert store.names() == ["ben"]
    with pytest.raises(ConfigError, match="no voice profile 'anna' to forget.*known: ben"):
        store.forget("anna")


def test_missing_profile_names_the_known_ones_and_how_to_enroll():
    store = ProfileStore()
    store.save(profile("ben"))
    with pytest.raises(ConfigError) as caught:
        store.load("anna")
    assert "known: ben" in caught.value.message
    assert "voice-coach enroll --user anna" in caught.value.fix


def test_damaged_profile_is_an_error_naming_the_file(tmp_path):
    store = ProfileStore(tmp_path / "p")
    path = store.save(profile())
    path.write_bytes(b"not a profile")
    with pytest.raises(ConfigError, match=r"anna\.npz is damaged"):
        store.load("anna")


@pytest.mark.parametrize("bad", ["", "../etc", "a/b", ".hidden", "x" * 41, "anna.", "with space"])
def test_names_that_could_escape_the_folder_are_refused(bad):
    with pytest.raises(ConfigError, match="cannot be a profile name"):
        check_name(bad)


def test_ordinary_names_are_fine():
    for name in ("anna", "Dr.Lee", "therapist_2", "a-b"):
        assert check_name(name) == name
