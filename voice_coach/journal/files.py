"""Where the journal lives, and creating it so only its owner can read it.

The journal holds health notes (pain scores) tied to client codes, so the
folder we create is 0700 and the database with its ``-wal``/``-shm`` side files
is 0600, whatever the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

from voice_coach.config import JournalSettings, data_dir
from voice_coach.errors import JournalError
from voice_coach.private_files import PRIVATE_FILE_MODE, make_private_dirs

FILE_NAME = "journal.sqlite3"
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")


def default_journal_path() -> Path:
    return data_dir() / FILE_NAME


def journal_path(settings: JournalSettings | None = None) -> Path:
    """The configured journal file: ``[journal] path`` if set, else the data folder."""
    if settings is not None and settings.path:
        return Path(settings.path).expanduser()
    return default_journal_path()


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700.

    Folders that already exist are left alone: the user may have pointed the
    journal into a folder they manage themselves (their home, a USB stick).
    """
    try:
        make_private_dirs(folder)
    except OSError as exc:
        raise JournalError(f"cannot create the journal folder {exc.filename}: {exc.strerror}",
                           "choose a writable place with [journal] path in the config or --journal") from None


def create_private_file(path: Path) -> None:
    """Make sure ``path`` exists and is 0600 before SQLite opens it.

    SQLite gives ``-wal``/``-shm`` files the mode of the database file, so
    getting this one right covers the side files too.
    """
    make_private_dir(path.parent)
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE_MODE)
        os.close(fd)
    except OSError as exc:
        raise JournalError(f"cannot create the journal {path}: {exc.strerror}",
                           "choose a writable place with [journal] path in the config or --journal") from None
    restrict_files(path)


def restrict_files(path: Path) -> None:
    """Force 0600 on the database and whichever side files exist now."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILE_SUFFIXES)):
        try:
            if candidate.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
                os.chmod(candidate, PRIVATE_FILE_MODE)
        except FileNotFoundError:
            continue
        except PermissionError:
            # Someone else's file (e.g. a shared read-only copy): reading it is still fine.
            continue
