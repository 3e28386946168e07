"""``voice-coach routines [ID] [--json] [--routines DIR]``: list the routines that loaded.

Therapists use it to check a new routine file: a bad file prints an error that
names the file, routine, step and field.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from voice_coach.config import load_settings
from voice_coach.grammar import Grammar
from voice_coach.routines.library import RoutineLibrary
from voice_coach.routines.loader import load_library
from voice_coach.routines.model import Routine, Step, StepKind
from voice_coach.routines.timing import routine_seconds, step_seconds



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine_id", nargs="?", metavar="ID", help="show every step of this routine")
    parser.add_argument("--json", action="store_true", help="print a JSON list of routines instead of a table")
    add_routines_option(parser)


def add_routines_option(parser: argparse.ArgumentParser) -> None:
    """The ``--routines DIR`` flag every command that loads routines shares (read by ``routine_dirs``)."""
    parser.add_argument("--routines", metavar="DIR", action="append", default=[],
                        help="also load routine files (*.toml) from this folder; may be repeated")


def routine_dirs(args: argparse.Namespace) -> list[Path]:
    """Folders from the config file's routines_dirs, then every --routines DIR.

    Relative folders in the config file are taken relative to that file.
    """
    config_path = Path(args.config).expanduser() if getattr(args, "config", None) else None
    settings = load_settings(config_path)
    base = config_path.parent if config_path else Path.cwd()
    from_config = [base / Path(d).expanduser() for d in settings.routines_dirs]
    return [*from_config, *(Path(d) for d in getattr(args, "routines", None) or [])]


def _step_dict(step: Step) -> dict[str, Any]:
    return {
        "id": step.id,
        "title": step.title,
        "kind": step.kind.value,
        "per_foot": step.per_foot,
        "seconds": step.seconds,
        "reps": step.reps,
        "seconds_per_rep": step.seconds_per_rep,
        "tools": list(step.tools),
        "cautions": list(step.cautions),
        "instructions": step.instructions,
    }


def routine_dict(routine: Routine, library: RoutineLibrary) -> dict[str, Any]:
    return {
        "id": routine.id,
        "title": routine.title,
        "source": routine.source,
        "spoken_names": list(routine.spoken_names),
        "builtin": library.is_builtin(routine.id),
        "replaces_builtin": library.replaced_builtin(routine.id),
        "file": str(routine.origin) if routine.origin else None,
        "total_seconds": routine_seconds(routine),
        "safety_questions": [{"question": q.question, "if_yes": q.if_yes} for q in routine.safety_questions],
        "cautions": list(routine.cautions),
        "steps": [_step_dict(step) for step in routine.steps],
    }


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _where(routine: Routine, library: RoutineLibrary) -> str:
    if library.replaced_builtin(routine.id):
        return f"{routine.origin} (replaces the built-in)"
    if library.is_builtin(routine.id):
        return "built-in"
    return str(routine.origin)


def _table(library: RoutineLibrary) -> str:
    header = ("ID", "TITLE", "STEPS", "TIME", "SAY", "FROM")
    rows = [header]
    for r in library:
        manual = sum(1 for s in r.steps if s.kind is StepKind.MANUAL)
        time = _duration(routine_seconds(r)) + (f" + {manual} manual" if manual else "")
        rows.append((r.id, r.title, str(len(r.steps)), time, ", ".join(r.spoken_names), _where(r, library)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    lines.append(f"{len(library)} routines. Start one by saying \"start <name> routine\" with a name from SAY.")
    return "\n".join(line.rstrip() for line in lines)


def _step_line(number: int, step: Step) -> str:
    if step.kind is StepKind.TIMED:
        amount = _duration(step.seconds or 0)
    elif step.kind is StepKind.REPS:
        amount = f"{step.reps} reps x {step.seconds_per_rep:g} s"
    else:
        amount = "waits for next"
    foot = f" per foot, {_duration(step_seconds(step))} total" if step.per_foot else ""
    tools = f"  [needs: {'; '.join(step.tools)}]" if step.tools else ""
    return f"{number:2d}. {step.title} ({step.kind.value}, {amount}{foot}){tools}"


def _details(routine: Routine, library: RoutineLibrary) -> str:
    lines = [f"{routine.title} ({routine.id})", f"  source: {routine.source}",
             f"  file:   {_where(routine, library)}", f"  say:    {', '.join(routine.spoken_names)}",
             f"  time:   {_duration(routine_seconds(routine))} plus manual steps", "", "Safety questions:"]
    lines += [f"  - {q.question}  If yes: {q.if_yes}" for q in routine.safety_questions] or ["  (none)"]
    lines += ["", "Steps:"]
    lines += [f"  {_step_line(n, step)}" for n, step in enumerate(routine.steps, start=1)]
    lines += ["", "Cautions:"] + ([f"  - {c}" for c in routine.cautions] or ["  (none)"])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    library = load_library(extra_dirs=routine_dirs(args))
    # Same check the live coach makes: a spoken name must not turn into another command
    # ("heel routine" would make "start heel routine" ambiguous).
    Grammar.build(library.all())
    chosen = [library.get(args.routine_id)] if args.routine_id else list(library)
    if args.json:
        print(json.dumps([routine_dict(r, library) for r in chosen], indent=2, ensure_ascii=False))
    elif args.routine_id:
        print(_details(chosen[0], library))
    else:
        print(_table(library))
    return 0
