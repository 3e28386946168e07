"""``voice-coach enroll --user NAME``: teach the coach one person's voice (about four minutes).

The coach asks for each core command three times, by voice and on the screen,
and checks every take; it can be stopped with Ctrl-C and continued later by
running the same command.  ``--from DIR`` uses recordings named by their words
instead (``next.wav``, ``next 2.wav``, ``pain five.wav``); ``--phrase WORDS``
adds the person's own words for a command ("hold on").  Only speech
embeddings are stored, owner-only, in the per-user data folder; ``--forget``
deletes them, ``--list`` shows them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from voice_coach.cli.routines import add_routines_option
from voice_coach.config import load_settings
from voice_coach.errors import ConfigError
from voice_coach.enrollment.store import ProfileStore, check_name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="NAME", help="whose voice to learn (letters, digits, - _ .)")
    parser.add_argument("--from", dest="from_dir", metavar="DIR",
                        help="enroll from 16-bit WAVs named by their words (next.wav, next 2.wav, pain five.wav)")
    parser.add_argument("--phrase", action="append", default=[], metavar="WORDS",
                        help="also learn your own words for a command, three takes each (may be repeated), "
                             "e.g. --phrase \"hold on\" --phrase \"how long is left\"")
    parser.add_argument("--list", action="store_true", help="list the voice profiles")
    parser.add_argument("--forget", metavar="NAME", help="delete a voice profile")
    parser.add_argument("--no-speech", action="store_true", help="show the prompts on the screen only, do not speak them")
    parser.add_argument("--input-device", metavar="D", help="microphone: name (part of it) or index")
    parser.add_argument("--output-device", metavar="D", help="speaker: name (part of it) or index")
    add_routines_option(parser)


def run(args: argparse.Namespace) -> int:
    store = ProfileStore()
    if args.list:
        return _list(store)
    if args.forget:
        path = store.forget(args.forget)
        print(f"forgot the voice profile {args.forget!r} ({path} deleted)")
        return 0
    if not args.user:
        raise ConfigError("enroll needs --user NAME (or --list, --forget NAME)", "e.g. `voice-coach enroll --user anna`")
    check_name(args.user)
    from voice_coach.cli.routines import routine_dirs
    from voice_coach.enrollment.phrases import core_prompts, own_prompts
    from voice_coach.enrollment.takes import TakeJudge
    from voice_coach.grammar import Grammar
    from voice_coach.recognition.neural.model import CommandModel
    from voice_coach.routines.loader import load_library

    if args.phrase and args.from_dir:
        raise ConfigError("--phrase is for the guided enrollment, --from DIR reads recordings",
                          "name recordings of your own words by those words instead (e.g. `hold on.wav`)")
    grammar = Grammar.build(load_library(routine_dirs(args)).all())
    model = CommandModel.load()
    judge = TakeJudge(model)
    if args.from_dir:
        return _from_folder(args, store, grammar, judge, model)
    prompts = own_prompts(grammar, args.phrase, model.labels) if args.phrase else core_prompts(grammar)
    return _guided(args, store, prompts, judge, model)


def _list(store: ProfileStore) -> int:
    summaries = store.summaries()
    if not summaries:
        print(f"no voice profiles yet (they live in {store.folder}); make one with `voice-coach enroll --user NAME`")
        return 0
    for s in summaries:
        state = "complete" if s.complete else "unfinished: run `voice-coach enroll --user " + s.user + "` to go on"
        words = f", own words: {', '.join(s.own_words)}" if s.own_words else ""
        print(f"{s.user}: {s.takes} takes of {s.commands} commands{words} ({state})")
    print(f"(stored in {store.folder}: speech embeddings only, no audio)")
    return 0


def _adapt_seconds(profile, model) -> float:
    started = time.monotonic()
    profile.for_model(model)
    return time.monotonic() - started


def _from_folder(args, store: ProfileStore, grammar, judge, model) -> int:
    from voice_coach.enrollment.folder import enroll_from_folder

    result = enroll_from_folder(args.user, Path(args.from_dir).expanduser(), grammar, judge, model.labels)
    for problem in result.problems:
        print(f"{'note' if problem.kept else 'skipped'}: {problem.file}: {problem.problem}", file=sys.stderr)
    if not result.used:
        raise ConfigError(f"no usable take in {args.from_dir}", "see the messages above for each file")
    replaced = store.exists(args.user)
    path = store.save(result.profile)
    commands = len(set(result.profile.labels))
    print(f"{'replaced' if replaced else 'saved'} the voice profile {args.user!r}: {len(result.used)} takes of "
          f"{commands} commands, adapted in {_adapt_seconds(result.profile, model):.2f} s ({path})")
    return 1 if any(not p.kept for p in result.problems) else 0


def _guided(args, store: ProfileStore, prompts, judge, model) -> int:
    from voice_coach.audio.microphone import SoundDeviceMicrophone
    from voice_coach.enrollment.guided import enroll_guided
    from voice_coach.enrollment.live import MicTakeRecorder, ScreenGuide, SpeakingGuide

    settings = load_settings(Path(args.config).expanduser() if getattr(args, "config", None) else None)
    guide = ScreenGuide() if args.no_speech else SpeakingGuide(_speaker(settings, args.output_device))
    mic = SoundDeviceMicrophone(args.input_device or settings.audio.input_device)
    mic.start()  # AudioError (listing input devices) when it cannot open
    try:
        print(f"Enrolling {args.user!r}: find a quiet moment; Ctrl-C pauses (run the same command to go on).")
        result = enroll_guided(args.user, prompts, store, judge, guide, MicTakeRecorder(mic))
    except KeyboardInterrupt:
        profile = store.load(args.user) if store.exists(args.user) else None
        kept = profile.takes if profile else 0
        again = f"voice-coach enroll --user {args.user}" + "".join(f' --phrase "{p}"' for p in args.phrase)
        print(f"\npaused: {kept} takes kept; `{again}` continues.", file=sys.stderr)
        return 130
    finally:
        mic.stop()
    print(f"{result.done}/{result.total} {'phrases' if args.phrase else 'commands'} enrolled in {result.seconds:.0f} s"
          + (f"; left for later: {', '.join(result.skipped)}" if result.skipped else "")
          + f"; adapted in {_adapt_seconds(result.profile, model):.2f} s")
    if result.done == result.total and not args.phrase:
        print(f'tip: say a command in other words in sessions ("hold on", "how long is left")? '
              f'`voice-coach enroll --user {args.user} --phrase "hold on"` teaches those words too')
    return 0 if result.done == result.total else 1


def _speaker(settings, output_device: str | None):
    from voice_coach.audio.player import ClipPlayer
    from voice_coach.audio.tts import synthesize

    player = ClipPlayer(output_device or settings.audio.output_device)
    player.open()  # a missing speaker is reported before the first prompt

    def speak(text: str) -> None:
        samples, rate = synthesize(text, settings.speech)
        player.play(samples, rate)

    return speak
