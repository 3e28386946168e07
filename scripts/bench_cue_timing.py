#!/usr/bin/env python3
"""Cue timing while the coach is speaking: how late do timer cues fire?

Runs the real live loop and session engine on the real monotonic clock through
a routine of short per-foot timers, asking "help" and "how much time is
left" right after every go cue (and the final-warning cue near the switch) so
the coach is mid-sentence when the warning and switch deadlines arrive.  Meanwhile the recognizer worker
decodes the coach's own speech from a real-time fake microphone (the echo a
real microphone would hear), so the loop competes for the CPU as it would live.

Error = the loop's clock when the engine got the tick - the engine's deadline.
With --speaker real the sentences are synthesized and played through
sounddevice (e.g. on the PulseAudio virtual sink, --pulse starts one) and the
chimes' actual start times are measured as well.

    .venv/bin/python scripts/bench_cue_timing.py [--steps 3] [--speaker fake|real] [--pulse] [--no-recognizer]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice_coach.config import SessionSettings, Settings, SpeechSettings  # noqa: E402
from voice_coach.intents import Command, Intent  # noqa: E402
from voice_coach.live.clock import MonotonicClock  # noqa: E402
from voice_coach.live.engine_driver import EngineDriver  # noqa: E402
from voice_coach.live.inbox import HeardCommand, InputClosed  # noqa: E402
from voice_coach.live.listener import CommandListener  # noqa: E402
from voice_coach.live.loop import LiveLoop  # noqa: E402
from voice_coach.live.speaker_link import SpeakerLink  # noqa: E402
from voice_coach.routines.library import RoutineLibrary  # noqa: E402
from voice_coach.routines.model import Routine, Step, StepKind  # noqa: E402
from voice_coach.session.messages import Tick  # noqa: E402

INSTRUCTIONS = ("Keep the foot relaxed and let the ball roll slowly from the heel to the base of the toes, "
                "then back again, pressing only as hard as feels comfortable, and breathe out slowly "
                "whenever you reach a tender spot so the tissue can soften under the pressure.")


def bench_routine(steps: int, seconds: int) -> Routine:
    return Routine(id="bench", title="Cue timing bench", source="bench", spoken_names=("bench",),
                   intro="Timing bench.", steps=tuple(
                       Step(id=f"s{i}", title=f"Step {i + 1}", kind=StepKind.TIMED, instructions=INSTRUCTIONS,
                            seconds=seconds, per_foot=True) for i in range(steps)))


class TimedDriver(EngineDriver):
    """Records, for every tick, the deadline it was for and when it was delivered."""

    def __init__(self, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self.ticks: list[tuple[float, float, bool]] = []  # (deadline, delivered, coach speaking)
        self.speaking = lambda: False

    def step(self, event, now):
        deadline = self.next_deadline()
        actions = super().step(event, now)
        if isinstance(event, Tick) and deadline is not None:
            self.ticks.append((deadline, now, self.speaking()))
        return actions


def percentile(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q)) if xs else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=12, help="timer per foot")
    parser.add_argument("--speaker", choices=("fake", "real"), default="fake")
    parser.add_argument("--pulse", action="store_true", help="start a private PulseAudio server for --speaker real")
    parser.add_argument("--limit-s", type=float, default=600, help="give up after this many seconds")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--no-recognizer", action="store_true", help="do not decode the coach's echo meanwhile")
    args = parser.parse_args()

    if args.verbose:
        import logging
        logging.basicConfig(level=logging.INFO, format="%(relativeCreated)8.0f %(message)s")
    stack = None
    if args.pulse:
        sys.path.insert(0, str(ROOT / "tests"))
        from audio_stack import start_audio_stack, stop_audio_stack

        stack, reason = start_audio_stack(Path(tempfile.mkdtemp(prefix="vc-bench-pulse-")))
        if stack is None:
            print(f"PulseAudio could not start: {reason}")
            return 2
        import os
        os.environ.update(stack.env)
        stack.reinit_portaudio()
    try:
        return run(args)
    finally:
        if stack is not None:
            stop_audio_stack(stack)


def run(args) -> int:
    settings = Settings()
    library = RoutineLibrary([bench_routine(args.steps, args.seconds)])
    clock = MonotonicClock()
    engine = TimedDriver(library, SessionSettings(final_warning_s=max(2, args.seconds // 3)), routine_id="bench")
    loop = LiveLoop(engine, None, clock)
    link = SpeakerLink(loop.post, clock.now)
    chimes = None
    if args.speaker == "real":
        from voice_coach.audio.chimes import ChimePlayer
        from voice_coach.audio.speaker import SoundDeviceSpeaker

        speaker = SoundDeviceSpeaker(settings.speech, on_started=link.on_started, on_finished=link.on_finished)
        chimes = ChimePlayer()
        chimes.start()
        loop.chimes = chimes
    else:
        from voice_coach.audio.fake_speaker import RecordingSpeaker

        speaker = RecordingSpeaker(settings.speech, timed=True, on_started=link.on_started,
                                   on_finished=link.on_finished)
    speaker.start()
    loop.speaker = link.attach(speaker)
    engine.speaking = lambda: speaker.is_speaking

    listener = None
    if not args.no_recognizer:
        from voice_coach.audio.fake_mic import ArrayMicrophone
        from voice_coach.live.self_trigger import synthesize_16k
        from voice_coach.recognition.factory import make_recognizer

        echo = synthesize_16k(INSTRUCTIONS)
        mic = ArrayMicrophone(np.tile(echo, 20), realtime=True)
        mic.start()
        listener = CommandListener(mic, make_recognizer(settings, library.all()), lambda item: None, clock.now)
        listener.start()

    answered: set[tuple] = set()

    def script():
        # Answer the pain questions; once each foot's timer runs, ask "help" and "time left" so the coach talks over it.
        pain = Command(Intent.PAIN, {"level": 3}, "pain three")
        while True:
            time.sleep(0.2)
            view = engine.describe(clock.now())
            if view.phase == "ended":
                return
            if view.phase in ("pain_before", "pain_after") and not speaker.is_speaking:
                loop.post(HeardCommand(pain, clock.now(), "pain three", typed=True))
                time.sleep(1.0)
            key = (view.step_number, view.foot)
            if view.stage == "running" and key not in answered:
                answered.add(key)
                for intent in (Intent.HELP, Intent.TIME_LEFT, Intent.HELP):
                        loop.post(HeardCommand(Command(intent, text=str(intent)), clock.now(), str(intent), typed=True))

    threading.Thread(target=script, daemon=True).start()
    watchdog = threading.Timer(args.limit_s, lambda: loop.post(InputClosed("bench took too long")))
    watchdog.start()
    started = time.monotonic()
    loop.run()
    watchdog.cancel()
    if listener is not None:
        listener.stop()
    speaker.close()

    errors = [(now - deadline) * 1000 for deadline, now, _ in engine.ticks]
    speaking = [(now - deadline) * 1000 for deadline, now, sp in engine.ticks if sp]
    print(f"speaker: {args.speaker}; recognizer decoding meanwhile: {not args.no_recognizer}; "
          f"run {time.monotonic() - started:.0f} s")
    print("| cues | count | p50 | p95 | max |")
    print("|---|---|---|---|---|")
    for label, xs in (("all timer cues", errors), ("cues while the coach was speaking", speaking)):
        print(f"| {label} | {len(xs)} | {percentile(xs, 50):.1f} ms | {percentile(xs, 95):.1f} ms | "
              f"{max(xs) if xs else float('nan'):.1f} ms |")
    if chimes is not None and chimes.played:
        print(f"chimes played: {len(chimes.played)} (audible start measured by the player)")
    return 0 if errors and max(errors) <= 100 else 1


if __name__ == "__main__":
    sys.exit(main())
