"""Read routine TOML files: the built-ins shipped as package data, then the user's folders.

Load order (later wins only over built-ins):
  1. built-ins from ``voice_coach/routines/data/*.toml``;
  2. the per-user folder ``config.user_routines_dir()`` (a missing folder is fine);
  3. ``extra_dirs`` (``routines_dirs`` from settings, then ``--routines DIR``), which must exist.
A user routine with a built-in's id replaces it; two user files with one id is an error.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterable

from voice_coach import config
from voice_coach.errors import RoutineError
from voice_coach.routines.library import RoutineLibrary
from voice_coach.routines.model import Routine
from voice_coach.routines.schema import parse_routine

ROUTINE_SUFFIX = ".toml"
_UNSUPPORTED_SUFFIXES = (".yaml", ".yml", ".json")


def parse_routine_text(text: str, label: str, origin: Path | None = None) -> Routine:
    """Parse TOML text; ``label`` names the file in error messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line L, column C)".
        raise RoutineError(f"{label}: not valid TOML: {exc}",
                           "fix the syntax at that line and column (text needs double quotes, "
                           "lists use [ ], each step starts with [[steps]])") from None
    return replace(parse_routine(raw, label), origin=origin)


def load_routine_file(path: Path | str) -> Routine:
    """Read and validate one routine file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RoutineError(f"{path}: not UTF-8 text", "save the file as UTF-8 plain text") from None
    except OSError as exc:
        raise RoutineError(f"{path}: cannot read ({exc.strerror or exc})",
                           "check the file name and its permissions") from None
    return parse_routine_text(text, str(path), origin=path)


def _builtin_files() -> list[Traversable]:
    folder = resources.files("voice_coach.routines").joinpath("data")
    return sorted((f for f in folder.iterdir() if f.name.endswith(ROUTINE_SUFFIX)), key=lambda f: f.name)


def load_builtin_routines() -> tuple[Routine, ...]:
    routines = []
    for item in _builtin_files():
        # In an installed tree the resource is a real file; keep its path as origin.
        real = Path(str(item))
        origin = real if real.is_file() else None
        routines.append(parse_routine_text(item.read_text(encoding="utf-8"), f"built-in {item.name}", origin))
    # Article order (000, 001, …) reads naturally when the coach lists the routines.
    return tuple(sorted(routines, key=lambda r: (r.source, r.id)))


def _routine_files(folder: Path) -> list[Path]:
    files = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue  # editor backups, lock files, sub-folders
        if path.suffix.lower() in _UNSUPPORTED_SUFFIXES:
            raise RoutineError(f"{path}: routine files must be TOML",
                               f"rewrite it as TOML and name it {path.stem}{ROUTINE_SUFFIX} (see docs/routines.md)")
        if path.suffix == ROUTINE_SUFFIX:
            files.append(path)
    return files


def _user_folders(extra_dirs: Iterable[Path | str], include_user_dir: bool) -> list[Path]:
    folders: list[Path] = []
    user_dir = config.user_routines_dir()
    if include_user_dir and user_dir.exists():
        if not user_dir.is_dir():
            raise RoutineError(f"{user_dir}: the per-user routines folder is a file",
                               "move that file away; routines go inside a folder of that name")
        folders.append(user_dir)
    for entry in extra_dirs:
        folder = Path(entry).expanduser()
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise RoutineError(f"routines folder {folder} {what}",
                               "create it and put .toml routine files in it, or fix the path "
                               "(--routines DIR or routines_dirs in the config file)")
        folders.append(folder)
    unique: dict[Path, Path] = {}
    for folder in folders:  # the same folder named twice must not clash with itself
        unique.setdefault(folder.resolve(), folder)
    return list(unique.values())


def load_library(extra_dirs: Iterable[Path | str] = (), include_user_dir: bool = True) -> RoutineLibrary:
    """Built-ins, then the per-user folder, then ``extra_dirs``; see the module docstring."""
    builtins = load_builtin_routines()
    routines: dict[str, Routine] = {r.id: r for r in builtins}
    builtin_ids = tuple(routines)
    user_files: dict[str, Path] = {}
    for folder in _user_folders(extra_dirs, include_user_dir):
        for path in _routine_files(folder):
            routine = load_routine_file(path)
            if routine.id in user_files:
                raise RoutineError(f"{path}: routine id '{routine.id}' is also used by {user_files[routine.id]}",
                                   "give each routine its own id, or remove one of the two files")
            user_files[routine.id] = path
            routines[routine.id] = routine  # replacing a built-in keeps its place in the order
    replaced = [rid for rid in builtin_ids if rid in user_files]
    library = RoutineLibrary(routines.values(), replaced=replaced, builtin=builtin_ids)
    library.by_spoken_name()  # a spoken name shared by two routines fails now, not mid-session
    return library
