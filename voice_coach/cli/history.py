"""``voice-coach history``: the session journal as a table, JSON, or a pain chart."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

from voice_coach.config import load_settings
from voice_coach.errors import ConfigError
from voice_coach.journal import Journal, journal_path
from voice_coach.journal.export_csv import session_row
from voice_coach.journal.queries import SessionSummary
from voice_coach.journal.selection import check_client, client_to_chart, parse_since

DEFAULT_WEEKS = 8


def add_journal_arguments(parser: argparse.ArgumentParser) -> None:
    """The options history and export share: which journal, which client, from when."""
    parser.add_argument("--client", metavar="CODE", help="only this client's sessions")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions on or after this local date")
    parser.add_argument("--journal", metavar="FILE",
                        help="journal file (default: [journal] path in the config, else the per-user data folder)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_journal_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON list of sessions instead of a table")
    parser.add_argument("--plot", metavar="FILE.png", help="draw pain before/after per day for one client")
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS, metavar="N",
                        help=f"with --plot: how many weeks back to show (default {DEFAULT_WEEKS})")


def open_journal(args: argparse.Namespace) -> Journal:
    """The journal named by --journal (must exist), else the configured one (created if missing)."""
    if getattr(args, "journal", None):
        return Journal.open(Path(args.journal).expanduser(), create=False)
    settings = load_settings(Path(args.config) if getattr(args, "config", None) else None)
    return Journal.open(journal_path(settings.journal))


def selected_sessions(journal: Journal, args: argparse.Namespace) -> list[SessionSummary]:
    since = parse_since(args.since) if args.since else None
    client = check_client(journal, args.client) if args.client else None
    return journal.sessions(client=client, since=since)


def format_duration(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _score(value: int | None) -> str:
    return "–" if value is None else str(value)


def print_table(sessions: list[SessionSummary], journal: Journal, filtered: bool) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    # Piped output has no terminal width; 80 columns would wrap every date.
    console = Console(width=None if sys.stdout.isatty() else 120)
    if not sessions:
        console.print(f"No sessions match in {journal.path}." if filtered else
                      f"No sessions yet in {journal.path}; they are recorded when a routine runs.")
        return
    table = Table(title=f"Sessions in {journal.path}", title_justify="left", box=box.SIMPLE_HEAD)
    for name, justify in (("#", "right"), ("date", "left"), ("client", "left"), ("routine", "left"),
                          ("duration", "right"), ("status", "left"), ("pain before", "right"),
                          ("pain after", "right"), ("change", "right")):
        table.add_column(name, justify=justify, no_wrap=name in ("date", "duration"))
    for s in sessions:
        change = "" if s.pain_before is None or s.pain_after is None else f"{s.pain_after - s.pain_before:+d}"
        table.add_row(str(s.id), s.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), s.client or "–", s.routine,
                      format_duration(s.duration_s), s.status, _score(s.pain_before), _score(s.pain_after), change)
    console.print(table)
    changes = [s.pain_after - s.pain_before for s in sessions if s.pain_before is not None and s.pain_after is not None]
    summary = f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}"
    if changes:
        summary += (f"; pain changed by {sum(changes) / len(changes):+.1f} on average"
                    f" over the {len(changes)} with both scores")
    console.print(summary + ".")


def draw_chart(journal: Journal, args: argparse.Namespace, today: date | None = None):
    if args.weeks < 1:
        raise ConfigError(f"--weeks {args.weeks} must be at least 1", "e.g. --weeks 8")
    from voice_coach.journal.chart import plot_pain

    client = client_to_chart(journal, args.client)
    last_day = today or date.today()
    first_day = parse_since(args.since) if args.since else last_day - timedelta(days=7 * args.weeks - 1)
    days = [d for d in journal.pain_by_day(client, since=first_day) if d.day <= last_day]
    who = f"client {client}" if client else "sessions without a client code"
    return plot_pain(days, Path(args.plot).expanduser(), who, first_day, last_day)


def run(args: argparse.Namespace) -> int:
    with open_journal(args) as journal:
        if args.plot:
            chart = draw_chart(journal, args)
            print(f"wrote {chart.path}: {len(chart.before)} days with pain before, "
                  f"{len(chart.after)} with pain after ({chart.first_day} to {chart.last_day})")
            return 0
        sessions = selected_sessions(journal, args)
        if args.json:
            print(json.dumps([session_row(s) for s in sessions], indent=2))
        else:
            print_table(sessions, journal, filtered=bool(args.client or args.since))
    return 0
