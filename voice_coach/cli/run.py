"""``voice-coach run [ROUTINE]``: the live coach — microphone, speaker, chimes, barge-in.

``--text`` types commands instead of speaking them (same parser, same engine);
it works without any sound device, printing the coach's words.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from contextlib import ExitStack
from pathlib import Path

from voice_coach.cli.routines import add_routines_option
from voice_coach.config import Settings, load_settings, override
from voice_coach.errors import AudioError
from voice_coach.live import assembly
from voice_coach.live.clock import MonotonicClock
from voice_coach.live.echo_canceller import EchoCanceller
from voice_coach.live.engine_driver import EngineDriver
from voice_coach.live.keyboard import KeyboardCommandReader
from voice_coach.live.listener import CommandListener
from voice_coach.live.loop import LiveLoop
from voice_coach.live.screen import ScreenStatus, open_screen, screen_for, screen_possible
from voice_coach.live.status import PlainStatus
from voice_coach.live.stop_signal import sigterm_as_interrupt
from voice_coach.live.text_io import TextCommandReader
from voice_coach.recognition.factory import ENGINES


log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("routine", nargs="?", metavar="ROUTINE",
                        help="routine id to start at once (see voice-coach routines); default: ask")
    parser.add_argument("--engine", choices=ENGINES, help="speech recognizer (default: auto)")
    parser.add_argument("--model", metavar="DIR", help="Vosk model folder")
    parser.add_argument("--input-device", metavar="D", help="microphone: name (part of it) or index")
    parser.add_argument("--output-device", metavar="D", help="speaker: name (part of it) or index")
    parser.add_argument("--text", action="store_true",
                        help="type commands instead of speaking them (no microphone needed)")
    add_routines_option(parser)
    parser.add_argument("--user", metavar="NAME", help="hear with this person's voice profile (voice-coach enroll)")
    parser.add_argument("--client", metavar="CODE", help="client code for the journal (a code, not a name)")
    parser.add_argument("--wake-word", metavar="W", help='commands count only after this word ("coach next")')
    parser.add_argument("--voice", metavar="V", help="espeak-ng voice, e.g. en-us or en-gb+f3")
    parser.add_argument("--rate", metavar="WPM", type=int, help="speaking rate, words per minute")
    parser.add_argument("--no-journal", action="store_true", help="do not write the session journal")
    parser.add_argument("--plain", action="store_true",
                        help="print status lines instead of the full-screen status, also on a terminal")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what was heard and said")


def settings_from_args(args: argparse.Namespace) -> Settings:
    config = Path(args.config).expanduser() if getattr(args, "config", None) else None
    settings = load_settings(config)
    settings = override(settings, "recognizer", engine=getattr(args, "engine", None),
                        model_dir=getattr(args, "model", None), wake_word=getattr(args, "wake_word", None),
                        user=getattr(args, "user", None))
    settings = override(settings, "audio", input_device=getattr(args, "input_device", None),
                        output_device=getattr(args, "output_device", None))
    settings = override(settings, "speech", voice=getattr(args, "voice", None), rate_wpm=getattr(args, "rate", None))
    if getattr(args, "no_journal", False):
        settings = override(settings, "journal", enabled=False)
    return settings


def load_routines(args: argparse.Namespace):
    from voice_coach.cli.routines import routine_dirs
    from voice_coach.routines.loader import load_library

    library = load_library(routine_dirs(args))
    if getattr(args, "routine", None):
        library.get(args.routine)  # UnknownRoutineError names the known ids
    return library


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    settings = settings_from_args(args)
    library = load_routines(args)
    if not args.text:
        _require_microphone(settings)
    with ExitStack() as stack:
        stop = stack.enter_context(sigterm_as_interrupt())
        clock = MonotonicClock()
        journal, offered = assembly.open_journal(settings, args.client, stack)
        engine = EngineDriver(library, settings.session, routine_id=args.routine,
                              resume=assembly.resume_point_of(offered), speech=settings.speech)
        loop = LiveLoop(engine, None, clock, journal=journal)  # speaker set below: it posts to the loop
        if args.text:
            _wire_text(loop, settings, library, stack, _screen(loop, args, needs_keyboard=True))
        else:
            _wire_audio(loop, settings, library, stack, _screen(loop, args, needs_keyboard=False))
        result = loop.run()
    if result.ended_by == "interrupt":
        print("stopped; the session can be resumed next time.", file=sys.stderr)
        return stop.exit_code
    return 0


def _require_microphone(settings: Settings) -> None:
    from voice_coach.audio import devices

    if not devices.list_devices():
        raise AudioError("no sound device found: there is no microphone to listen with",
                         "type commands with `voice-coach run --text`, or hear a demo with "
                         "`voice-coach demo --out demo.wav`")
    devices.require_device(settings.audio.input_device, "input")  # lists input devices when missing


def _screen(loop: LiveLoop, args: argparse.Namespace, needs_keyboard: bool) -> ScreenStatus | None:
    """The full-screen status when the terminal can show it (and --plain is not given)."""
    if args.plain or not screen_possible(needs_keyboard):
        return None
    return screen_for(loop, typing=needs_keyboard)


def _wire_text(loop: LiveLoop, settings: Settings, library, stack: ExitStack, screen: ScreenStatus | None) -> None:
    from voice_coach.grammar import Grammar

    grammar = Grammar.build(library.all(), settings.recognizer.wake_word)
    quiet = stack.enter_context(open(os.devnull, "w")) if screen else None  # the screen shows the words
    speaker, real = assembly.speaker_or_print(settings, loop.post, loop.clock.now, stack, out=quiet)
    loop.speaker = speaker
    if real:
        loop.chimes = assembly.real_chimes(settings, stack)
    if screen is None:
        loop.status = PlainStatus(echo_speech=real)
        print("Type commands (for example: start heel routine, next, pause, how much time is left, "
              "end session). Ctrl-D ends.", flush=True)
        TextCommandReader(grammar, loop.post, loop.clock.now).start()
        return
    screen.hint = "Try: start heel routine · next · pause · resume · how much time is left · help"
    open_screen(screen, loop, stack)
    keys = KeyboardCommandReader(grammar, screen.tap(loop.post), loop.clock.now, typed=screen.typed,
                                 hint=screen.notice)
    keys.start()
    stack.callback(keys.close)


def _wire_audio(loop: LiveLoop, settings: Settings, library, stack: ExitStack, screen: ScreenStatus | None) -> None:
    from voice_coach.audio.microphone import SoundDeviceMicrophone

    recognizer = assembly.make_recognizer(settings, library)
    speaker = assembly.real_speaker(settings, loop.post, loop.clock.now, stack)
    loop.speaker = speaker
    loop.chimes = assembly.real_chimes(settings, stack)
    watch = assembly.MicWatch(loop.post)
    mic = SoundDeviceMicrophone(settings.audio.input_device, on_status=watch)
    listener = CommandListener(mic, recognizer, screen.tap(loop.post) if screen else loop.post, loop.clock.now,
                               played=speaker.played,
                               decision_delay_s=loop.gate.settings.decision_delay_s,
                               echo_canceller=EchoCanceller())
    watch.listener = listener
    mic.start()  # AudioError (listing input devices) when it cannot open
    stack.callback(mic.stop)
    listener.start()
    stack.callback(listener.stop)
    greeting = f"Listening with {getattr(recognizer, 'name', 'the recognizer')}. Say 'help' for what you can say."
    if screen is None:
        loop.status = PlainStatus(echo_speech=True)
        print(f"{greeting} Ctrl-C ends.", file=sys.stderr, flush=True)
        return
    screen.level, screen.hint = listener.meter.latest, greeting
    open_screen(screen, loop, stack)
