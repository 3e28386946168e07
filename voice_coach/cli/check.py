"""``voice-coach check``: is this machine ready for a session?"""

from __future__ import annotations

import argparse
from pathlib import Path

from voice_coach.cli.routines import add_routines_option
from voice_coach.config import Settings, load_settings, override
from voice_coach.errors import ConfigError
from voice_coach.doctor import run_checks
from voice_coach.recognition.factory import ENGINES



def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input-device", help="microphone name substring or index")
    parser.add_argument("--output-device", help="speaker name substring or index")
    parser.add_argument("--engine", choices=ENGINES, help="recognizer to check")
    parser.add_argument("--model", metavar="DIR", help="Vosk model folder")
    parser.add_argument("--user", metavar="NAME", help="voice profile to check (see voice-coach enroll)")
    add_routines_option(parser)
    parser.add_argument("--no-sound", action="store_true", help="skip playing the chime/sentence and recording")


def run(args: argparse.Namespace) -> int:
    config_path = Path(args.config) if args.config else None
    try:
        settings = load_settings(config_path)
    except ConfigError:
        settings = Settings()  # the config line below reports the problem; check the rest with defaults
    settings = override(settings, "audio", input_device=args.input_device, output_device=args.output_device)
    settings = override(settings, "recognizer", user=args.user)
    print("voice-coach check — the coach opens no network connection; everything below is local.")
    results = run_checks(settings, config_path=config_path, routines_dirs=tuple(args.routines),
                         engine=args.engine, model_dir=args.model, sound=not args.no_sound,
                         report=lambda r: print("\n".join(r.lines()), flush=True))
    failed = [r.name for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} OK, {len(failed)} FAIL" + (f" ({', '.join(failed)})" if failed else ""))
    return 1 if failed else 0
