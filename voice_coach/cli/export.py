"""``voice-coach export --csv FILE``: one row per session (columns in docs/journal.md)."""

from __future__ import annotations

import argparse
import os
import sys

from voice_coach.cli.history import add_journal_arguments, open_journal, selected_sessions
from voice_coach.errors import JournalError
from voice_coach.journal.export_csv import write_csv



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", metavar="FILE", required=True, help='CSV file to write ("-" for standard output)')
    add_journal_arguments(parser)


def run(args: argparse.Namespace) -> int:
    with open_journal(args) as journal:
        sessions = selected_sessions(journal, args)
    if args.csv == "-":
        write_csv(sessions, sys.stdout)
        return 0
    try:
        # A new export is owner-only like the journal: it holds the same health notes.
        fd = os.open(args.csv, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8", newline="") as out:
            count = write_csv(sessions, out)
    except OSError as exc:
        raise JournalError(f"cannot write {args.csv}: {exc.strerror}", "choose a writable path for --csv") from None
    print(f"wrote {count} sessions to {args.csv}")
    return 0
