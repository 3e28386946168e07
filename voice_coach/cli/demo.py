"""``voice-coach demo``: a complete short routine with no microphone.

Spoken commands are synthesized and fed as audio through the real recognizer;
the coach's speech (with the chimes and the commands, on one timeline) goes
to FILE.wav with ``--out``, else to the speakers, else is printed only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from voice_coach.cli.run import load_routines, settings_from_args
from voice_coach.errors import ConfigError
from voice_coach.recognition.factory import ENGINES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="FILE.wav", help="write the whole demo (coach, chimes, commands) here")
    parser.add_argument("--speed", metavar="N", type=float, default=1.0,
                        help="shorten the demo timers N-fold (20 s per foot at 1, 4 s at 5, 1 s at 20); speech keeps its pace")
    parser.add_argument("--engine", choices=ENGINES, help="speech recognizer (default: auto)")
    parser.add_argument("--model", metavar="DIR", help="Vosk model folder")
    parser.add_argument("--output-device", metavar="D", help="speaker: name (part of it) or index")
    parser.add_argument("--voice", metavar="V", help="the coach's espeak-ng voice")
    parser.add_argument("--rate", metavar="WPM", type=int, help="the coach's speaking rate, words per minute")


def run(args: argparse.Namespace) -> int:
    from voice_coach.live.assembly import make_recognizer
    from voice_coach.live.demo.runner import run_demo

    if not 0.5 <= args.speed <= 100:
        raise ConfigError(f"--speed {args.speed:g} is out of range", "use a speed between 0.5 and 100, e.g. --speed 4")
    if args.out:
        folder = Path(args.out).expanduser().resolve().parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise ConfigError(f"cannot write {args.out}: the folder {folder} does not exist or is not writable",
                              "give --out a file in a folder you can write to, e.g. --out demo.wav")
    args.routine = None
    settings = settings_from_args(args)
    library = load_routines(args)
    recognizer = make_recognizer(settings, library)
    print(f"voice-coach demo: a shortened heel spur routine; commands are synthesized and recognized "
          f"by {getattr(recognizer, 'name', 'the recognizer')}. Times are positions in the recording.", flush=True)
    demo = run_demo(settings, library, recognizer, speed=args.speed)
    seconds = len(demo.audio) / 16000
    if args.out:
        from voice_coach.audio.wavio import write_wav

        write_wav(args.out, demo.audio, 16000)
        print(f"wrote {args.out} ({seconds:.0f} s)")
    else:
        _play_or_skip(demo.audio, settings)
    print(f"commands heard: {len(demo.heard)}, not caught: {len(demo.missed)}; "
          f"routine {'completed' if demo.completed else 'not completed'}")
    return 0 if demo.completed else 1


def _play_or_skip(audio, settings) -> None:
    from voice_coach.audio import devices

    if not devices.output_devices():
        print("(no speaker found: only the transcript is shown; use --out demo.wav to hear it later)")
        return
    from voice_coach.audio.player import ClipPlayer

    print("playing the demo through the speaker…", file=sys.stderr)
    start = time.monotonic()
    ClipPlayer(settings.audio.output_device).play(audio, 16000)
    print(f"played {time.monotonic() - start:.0f} s", file=sys.stderr)
