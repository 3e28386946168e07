"""The journal, its folder and its WAL side files are owner-only; the default path is used."""

from __future__ import annotations

import os
import stat

from voice_coach.config import JournalSettings
from voice_coach.journal import Journal, default_journal_path, journal_path

from tests.journal.scripted import heel_session, write


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_created_folders_are_0700_and_files_0600_even_with_a_lax_umask(tmp_path):
    path = tmp_path / "clinic" / "records" / "journal.sqlite3"
    old = os.umask(0o000)  # the worst case: everything would be world-writable
    try:
        with Journal.open(path) as journal:
            write(journal, heel_session()[:6])  # leaves the session open so -wal/-shm stay
            side_files = [p for p in path.parent.iterdir() if p != path]
            assert {p.name for p in side_files} == {"journal.sqlite3-wal", "journal.sqlite3-shm"}
            assert [mode(p) for p in side_files] == [0o600, 0o600]
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700


def test_an_existing_folder_keeps_its_mode_and_a_lax_journal_file_is_tightened(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    path = folder / "journal.sqlite3"
    path.touch()
    os.chmod(path, 0o644)
    Journal.open(path).close()
    assert mode(folder) == 0o755
    assert mode(path) == 0o600


def test_default_path_is_in_the_per_user_data_folder(tmp_path):
    # conftest points VOICE_COACH_DATA_DIR at tmp_path / "data"
    assert default_journal_path() == tmp_path / "data" / "journal.sqlite3"
    assert journal_path(JournalSettings()) == default_journal_path()
    assert journal_path(JournalSettings(path=str(tmp_path / "x.db"))) == tmp_path / "x.db"
    with Journal.open() as journal:
        assert journal.path == default_journal_path()
    assert mode(tmp_path / "data") == 0o700


def test_no_audio_or_free_text_columns(tmp_path):
    """Privacy by construction: only codes, ids, numbers and times are stored."""
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        columns = {(table, col, kind) for (table,) in journal.query(
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                   for _, col, kind, *_ in journal.query(f"PRAGMA table_info({table})")}
    assert not any(kind == "BLOB" for _, _, kind in columns)
    assert {col for _, col, _ in columns}.isdisjoint({"audio", "text", "transcript", "utterance", "name"})
