"""Command-line entry point: ``voice-coach <command> …``.

Each subcommand lives in its own module ``voice_coach.cli.<name>`` exposing
``add_arguments(parser)`` and ``run(args) -> int``; its one-line help lives in
``COMMANDS`` below, because modules are imported only when their command runs
(so ``--help`` stays fast).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from voice_coach import __version__
from voice_coach.errors import VoiceCoachError

COMMANDS = {
    # name: (module, one-line help)
    "run": ("run", "start the live coach (microphone + speaker, or --text)"),
    "demo": ("demo", "a short routine with synthesized commands, no microphone needed"),
    "routines": ("routines", "list the routines that loaded"),
    "simulate": ("simulate", "run a scripted session on a virtual clock"),
    "transcribe": ("transcribe", "recognize commands in WAV files"),
    "download-model": ("download_model", "fetch the Vosk English model (needs internet)"),
    "enroll": ("enroll", "learn one person's voice (three takes of each core command)"),
    "check": ("check", "check microphone, speaker, recognizer and routines"),
    "history": ("history", "show the session journal (pain before/after)"),
    "export": ("export", "export the session journal as CSV"),
}


def _chosen_command(argv: list[str]) -> str | None:
    for i, token in enumerate(argv):
        if token == "--config":
            continue
        if i > 0 and argv[i - 1] == "--config":
            continue
        if not token.startswith("-"):
            return token
    return None


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voice-coach", description="Hands-free, offline voice coach for foot-massage routines.")
    parser.add_argument("--version", action="version", version=f"voice-coach {__version__}")
    parser.add_argument("--config", metavar="FILE", help="config file (default: the per-user config folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _chosen_command(argv)
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        # Only the chosen command's module is imported (keeps start-up fast).
        if name == chosen:
            _module(module).add_arguments(p)
    return parser


def _module(name: str):
    return importlib.import_module(f"voice_coach.cli.{name}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    try:
        return int(_module(COMMANDS[args.command][0]).run(args) or 0)
    except VoiceCoachError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.fix:
            print(f"  fix: {exc.fix}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("stopped.", file=sys.stderr)
        return 130
