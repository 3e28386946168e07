#!/usr/bin/env python3
"""Self-trigger measurement: the coach's own speech fed to the real recognizer.

Every sentence the engine says across all built-in routines is synthesized with
the speaker's ``synthesize`` and fed, as one stream, to the default recognizer
(or --engine).  Counts raw recognizer decisions and what the live gate lets
through (target: zero), then checks that real barge-ins over the coach's speech
still get through at several therapist-to-echo level ratios.

    .venv/bin/python scripts/measure_self_trigger.py [--engine auto|fused|neural|sphinx|vosk] [--limit N]
        [--barge-in N] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voice_coach.config import Settings  # noqa: E402
from voice_coach.live.echo_canceller import EchoCanceller  # noqa: E402
from voice_coach.live.gate import SpeechGate  # noqa: E402
from voice_coach.live.self_trigger import barge_in_check, coach_texts, measure  # noqa: E402
from voice_coach.recognition.factory import ENGINES, choose_engine, make_recognizer  # noqa: E402
from voice_coach.routines.loader import load_library  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=ENGINES)
    parser.add_argument("--model", help="Vosk model folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N coach sentences (0 = all)")
    parser.add_argument("--barge-in", type=int, default=30, help="coach sentences per barge-in level check")
    parser.add_argument("--aec", choices=("both", "on", "off"), default="both",
                        help="measure with echo cancellation, without, or both")
    parser.add_argument("--markdown", action="store_true", help="print a docs/live.md-ready table")
    args = parser.parse_args()

    settings = Settings()
    library = load_library(include_user_dir=False)
    choice = choose_engine(settings, args.engine, args.model)
    new_recognizer = lambda: make_recognizer(settings, library.all(), args.engine, args.model)  # noqa: E731
    texts = coach_texts(library)
    if args.limit:
        texts = texts[: args.limit]
    print(f"engine: {choice.describe()}", flush=True)
    print(f"coach sentences: {len(texts)} ({sum(len(t.split()) for t in texts)} words)", flush=True)

    reports, barge = {}, []
    for aec in {"both": (False, True), "on": (True,), "off": (False,)}[args.aec]:
        label = "with echo cancellation" if aec else "without echo cancellation"
        started = time.monotonic()
        report = measure(texts, new_recognizer(), gate=SpeechGate(), echo_canceller=EchoCanceller() if aec else None,
                         progress=lambda n, total: print(f"\r  fed {n}/{total}", end="", file=sys.stderr, flush=True))
        reports[label] = report
        print(file=sys.stderr)
        print(f"{label}: audio fed {report.audio_s / 60:.1f} min in {time.monotonic() - started:.0f} s")
        print(f"  raw recognizer commands: {report.raw} {dict(report.by_intent())}")
        for d in report.decisions:
            mark = "ACCEPTED" if d.accepted else "ignored "
            ratio = "-" if d.loudness_ratio is None else f"{d.loudness_ratio:.2f}"
            print(f"  {mark} {d.intent:<12} heard {d.text!r:<22} ratio {ratio:<5} ({d.verdict}) in: {d.during[:60]!r}")
        print(f"  commands accepted by the gate: {len(report.accepted)} (target 0)")
        if args.barge_in:
            long_texts = [t for t in texts if len(t.split()) >= 8][: args.barge_in]
            shared = EchoCanceller() if aec else None
            for ratio in (1.0, 2.0, 4.0):
                b = barge_in_check(long_texts, new_recognizer, ratio, echo_canceller=shared)
                barge.append((label, b))
                lat = sorted(b.latencies_s)
                p50 = f"{lat[len(lat) // 2] * 1000:.0f} ms" if lat else "-"
                print(f"  barge-in at {ratio:g}x echo level: recognized {b.recognized}/{b.tried}, "
                      f"accepted by the gate {b.accepted}/{b.tried}, decision p50 {p50} after the words")

    if args.markdown:
        print()
        print("| measured | value |")
        print("|---|---|")
        print(f"| engine | {choice.describe()} |")
        print(f"| coach sentences (all routines, engine replies included) | {report.utterances} "
              f"({report.audio_s / 60:.1f} min of speech) |")
        for label, r in reports.items():
            print(f"| raw recognizer commands on the coach's speech, {label} | {r.raw} "
                  f"({', '.join(f'{k} {v}' for k, v in sorted(r.by_intent().items())) or 'none'}) |")
            print(f"| **commands accepted after gating, {label}** | **{len(r.accepted)}** |")
        for label, b in barge:
            print(f"| barge-in over speech at {b.ratio:g}× echo level, {label}: accepted | {b.accepted}/{b.tried} "
                  f"(recognized {b.recognized}) |")
    return 0 if not any(r.accepted for r in reports.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
