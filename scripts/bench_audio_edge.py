#!/usr/bin/env python3
"""Benchmark the audio edge: barge-in (stop → silence), speech start, synthesis, mic resampling.

Starts its own PulseAudio server with a virtual speaker (tests/audio_stack.py),
so it needs no sound card.  Writes the "Audio edge" section of
docs/benchmarks.md (other sections are left alone).
Run: .venv/bin/python scripts/bench_audio_edge.py [--trials N]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import audio_stack  # noqa: E402  (the test suite's PulseAudio helper)
from audio.signals import loud_frames  # noqa: E402

from voice_coach.audio import tts  # noqa: E402
from voice_coach.audio.resampler import StreamResampler  # noqa: E402
from voice_coach.audio.speaker import SoundDeviceSpeaker  # noqa: E402
from voice_coach.config import SpeechSettings  # noqa: E402

SECTION = "## Audio edge"
LONG = ("Press your thumb into the arch of the foot and move it in small, slow circles from the heel "
        "toward the toes, keeping the pressure firm but comfortable.")


def barge_in_trial(stack, spk, workdir: Path, cut_after_s: float) -> tuple[float, float, float]:
    """(stop→last audible audio, stop→on_finished, say→first audio) in seconds, for one trial."""
    started, finished = threading.Event(), threading.Event()
    times: dict[str, float] = {}
    spk.on_started = lambda uid: (times.setdefault("started", time.monotonic()), started.set())
    spk.on_finished = lambda uid, interrupted: (times.setdefault("finished", time.monotonic()), finished.set())
    with stack.record_speaker(workdir / "trial.raw", lead_s=0.4) as rec:
        said = time.monotonic()
        spk.say(LONG, 1)
        started.wait(5)
        time.sleep(cut_after_s)
        stop_at = time.monotonic()
        spk.stop()
        finished.wait(5)
    heard = rec.samples()
    loud = loud_frames(heard, 16000)
    clip, rate = tts.synthesize(LONG, spk.settings)
    lead = loud_frames(clip, rate)[0] * 0.01
    span = spk.spans()[-1]
    rec_zero = span.start + lead - loud[0] * 0.01  # monotonic time of the recording's sample 0
    last_sound = rec_zero + (loud[-1] + 1) * 0.01
    return last_sound - stop_at, times["finished"] - stop_at, times["started"] - said


def synth_times(settings: SpeechSettings, cli: bool, n: int = 5) -> float:
    if cli:
        os.environ["VOICE_COACH_TTS_CLI"] = "1"
    try:
        best = []
        for _ in range(n):
            t = time.perf_counter()
            tts.synthesize(LONG, settings)
            best.append(time.perf_counter() - t)
        return min(best)
    finally:
        os.environ.pop("VOICE_COACH_TTS_CLI", None)


def resampler_rtf(rate: int) -> float:
    r = StreamResampler(rate, 16000)
    block = (np.random.default_rng(0).normal(0, 3000, rate // 20)).astype(np.int16)  # 50 ms blocks
    t = time.perf_counter()
    for _ in range(200):  # 10 s of audio
        r.process(block)
    return (time.perf_counter() - t) / 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-audio-"))
    stack, reason = audio_stack.start_audio_stack(work / "pulse")
    if stack is None:
        sys.exit(f"PulseAudio could not start: {reason}")
    os.environ.update(stack.env)
    stack.reinit_portaudio()
    try:
        spk = SoundDeviceSpeaker(SpeechSettings(), device=stack.device)
        spk.start()
        trials = [barge_in_trial(stack, spk, work, 0.6 + 0.25 * i) for i in range(args.trials)]
        spk.close()
    finally:
        audio_stack.stop_audio_stack(stack)
    silence, reported, first_audio = (sorted(col) for col in zip(*trials))
    ms = lambda xs, f: f"{1000 * f(xs):.0f} ms"  # noqa: E731
    rows = [
        (f"stop() → last audible 10 ms frame on the sink ({args.trials} cuts; < 0: the cut fell in a pause)",
         f"median {ms(silence, statistics.median)}, max {ms(silence, max)}"),
        ("stop() → on_finished(interrupted=True)", f"median {ms(reported, statistics.median)}, max {ms(reported, max)}"),
        ("say() → on_started (synthesized, playback opening), 24-word sentence",
         f"median {ms(first_audio, statistics.median)}, max {ms(first_audio, max)}"),
        ("synthesize 24 words in-process (espeak-ng via pyttsx3 binding)", f"{1000 * synth_times(SpeechSettings(), False):.0f} ms"),
        ("synthesize 24 words with the espeak-ng program (fallback)", f"{1000 * synth_times(SpeechSettings(), True):.0f} ms"),
        ("mic resampling 48 kHz → 16 kHz, 50 ms blocks", f"RTF {resampler_rtf(48000):.4f}"),
        ("mic resampling 44.1 kHz → 16 kHz, 50 ms blocks", f"RTF {resampler_rtf(44100):.4f}"),
    ]
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    pulse = subprocess.run(["pulseaudio", "--version"], capture_output=True, text=True).stdout.strip()
    lines = [SECTION, "", f"Measured by `scripts/bench_audio_edge.py` on {machine}, {pulse} null sink "
             "(the virtual speaker of tests/audio_stack.py; recorded from its monitor).", "",
             "| what | result |", "| --- | --- |", *[f"| {a} | {b} |" for a, b in rows], ""]
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    body = "\n".join(lines)
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda m: body + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + body
    path.write_text(text, encoding="utf-8")
    print(body)


if __name__ == "__main__":
    main()
