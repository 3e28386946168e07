"""``voice-coach transcribe [--engine auto|vosk|sphinx] [--model DIR] --json FILE.wav…``

Runs each file through the same streaming recognizer the live coach uses and
prints the commands it decided, with the audio position of each decision.
With ``--json`` one line per file:
``{"file": …, "engine": …, "commands": [{"text", "intent", "slots", "at_s"}]}``.
A file that cannot be read gets a one-line error on stderr; the others are
still processed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

from voice_coach.audio.room_sound import with_room_sound
from voice_coach.audio.wavio import read_wav
from voice_coach.config import Settings, load_settings, override
from voice_coach.errors import AudioError
from voice_coach.recognition.base import SAMPLE_RATE_HZ, Heard, Recognizer
from voice_coach.recognition.factory import ENGINES

CHUNK_SAMPLES = SAMPLE_RATE_HZ // 10  # 100 ms, like a microphone callback
ROOM_S = 0.5  # room sound heard before and after each file, as a microphone would have heard it


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE.wav", help="16-bit PCM WAV, any common rate, mono or stereo")
    parser.add_argument("--engine", choices=ENGINES, help="recognizer (default: config, else auto)")
    parser.add_argument("--model", metavar="DIR", help="Vosk model folder (default: $VOICE_COACH_MODEL, then models/)")
    parser.add_argument("--wake-word", metavar="W", help='commands count only after this word ("coach next")')
    parser.add_argument("--routines", metavar="DIR", action="append", default=[],
                        help="also load routine files (*.toml) from this folder; may be repeated")
    parser.add_argument("--user", metavar="NAME", help="hear with this person's voice profile (voice-coach enroll)")
    parser.add_argument("--json", action="store_true", help="one JSON line per file")


def _settings(args: argparse.Namespace) -> Settings:
    config = Path(args.config).expanduser() if getattr(args, "config", None) else None
    return override(load_settings(config), "recognizer", engine=args.engine, model_dir=args.model,
                    wake_word=args.wake_word, user=getattr(args, "user", None))


def recognize(recognizer: Recognizer, audio: np.ndarray, chunk_samples: int = CHUNK_SAMPLES) -> list[Heard]:
    """Feed a whole signal in microphone-sized chunks, then flush."""
    heard: list[Heard] = []
    for start in range(0, len(audio), chunk_samples):
        heard += recognizer.accept(audio[start : start + chunk_samples])
    return heard + recognizer.flush()


def recognize_file(recognizer: Recognizer, audio: np.ndarray) -> list[Heard]:
    """A recording heard as a microphone would hear it by the engines that segment the stream
    themselves (``ROOM_S`` of its own room sound on both sides: a file that started on its first
    syllable was heard as "stop" for "start heel routine"); decision positions still count from
    the file's first sample."""
    if recognizer.name == "vosk":  # Kaldi's own endpointer: the file goes in as it is
        return recognize(recognizer, audio)
    padded = with_room_sound(audio, ROOM_S, np.random.default_rng(len(audio)), floor_throughout=False)
    return [dataclasses.replace(h, at_s=max(0.0, h.at_s - ROOM_S)) for h in recognize(recognizer, padded)]


def command_record(heard: Heard) -> dict:
    return {"text": heard.text, "intent": heard.command.intent.value, "slots": dict(heard.command.slots),
            "at_s": round(heard.at_s, 3)}


def run(args: argparse.Namespace) -> int:
    from voice_coach.cli.routines import routine_dirs
    from voice_coach.grammar import Grammar
    from voice_coach.recognition.factory import choose_engine, make_recognizer
    from voice_coach.routines.loader import load_library

    settings = _settings(args)
    grammar = Grammar.build(load_library(routine_dirs(args)).all(), settings.recognizer.wake_word)
    choice = choose_engine(settings)  # fails once, before any file, when the engine cannot run
    status = 0
    for name in args.files:
        try:
            audio = read_wav(name)
        except AudioError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        # A fresh recognizer per file, so positions count from the file's start
        # (the Vosk model itself is loaded once).
        recognizer = make_recognizer(settings, (), choice.engine, choice.model, grammar=grammar)
        heard = recognize_file(recognizer, audio)
        if args.json:
            print(json.dumps({"file": name, "engine": recognizer.name,
                              "commands": [command_record(h) for h in heard]}), flush=True)
        else:
            said = ", ".join(f"{h.text!r} at {h.at_s:.2f}s" for h in heard) or "no commands"
            print(f"{name} [{recognizer.name}]: {said}", flush=True)
    return status
