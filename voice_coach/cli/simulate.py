"""``voice-coach simulate SCRIPT [--json] [--routines DIR]``: a scripted session on a virtual clock.

SCRIPT lines are ``<seconds> <utterance>`` (blank lines and ``#`` comments are
allowed); each utterance goes through the same phrase parser the recognizers
use.  The run is instant and deterministic: the same script always gives the
same transcript.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from voice_coach.cli.routines import add_routines_option, routine_dirs
from voice_coach.config import load_settings
from voice_coach.grammar import Grammar
from voice_coach.routines.loader import load_library
from voice_coach.session.simulate import MAX_VIRTUAL_S, Simulation, entry_json, format_entry, read_script



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("script", metavar="SCRIPT",
                        help="text file of '<seconds> <utterance>' lines, e.g. '12 pause'")
    parser.add_argument("--json", action="store_true",
                        help="print JSON lines (t, who, kind, text, data) including journal records")
    add_routines_option(parser)
    parser.add_argument("--routine", metavar="ID", help="start this routine at once instead of waiting to be asked")
    parser.add_argument("--logs", action="store_true", help="also show journal records in the text transcript")
    parser.add_argument("--max-hours", type=float, default=MAX_VIRTUAL_S / 3600,
                        help="stop after this much virtual time (default %(default)g)")


def run(args: argparse.Namespace) -> int:
    script = read_script(args.script)
    settings = load_settings(Path(args.config).expanduser() if getattr(args, "config", None) else None)
    library = load_library(routine_dirs(args))
    if args.routine is not None:
        library.get(args.routine)  # an unknown id fails here with the list of known ones
    grammar = Grammar.build(library.all())
    simulation = Simulation(library, grammar.parse, settings.session, settings.speech,
                            routine_id=args.routine, max_s=args.max_hours * 3600)
    for entry in simulation.run(script):
        if args.json:
            print(json.dumps(entry_json(entry)))
            continue
        line = format_entry(entry)
        if line is None and args.logs and entry.kind == "log":
            line = f"            (journal: {entry.text} {json.dumps(dict(entry.data))})"
        if line is not None:
            print(line)
    return 0
