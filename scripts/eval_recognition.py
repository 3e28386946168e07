#!/usr/bin/env python3
"""Evaluate the command recognizers on synthetic speech, noise and clinic chatter.

For each split (tuning / held-out) and engine, every voice of the split says a
rotating selection of command phrasings (all intents, "stop" many times) and
every non-command sentence of the split; each (voice, condition) becomes one
long stream with pauses, mixed with white / pink / babble noise at 10 and 5 dB
RMS SNR, fed to the recognizer in 30 ms chunks.  Reported: accuracy per
condition, false commands on sentences, "stop" accuracy, decision latency after
end of speech (audio time), real-time factor, and peak RSS (measured in a
separate process that holds only the recognizer).

    .venv/bin/python scripts/eval_recognition.py            # full run (~10 min on 2 cores)
    .venv/bin/python scripts/eval_recognition.py --quick    # small run
    ... --features out.jsonl --no-reject                   # dump rejection cues for tuning
    ... --enrollment [--quick] [--engine fused|neural] [--write-readme]  # voice profiles: held-out voices with / without
    ... --enrollment --tune                               # fit the profile settings on the tuning voices
    ... --enrollment --causes [--write-readme]            # where missed commands are lost, per condition

Synthesized audio is cached under $XDG_CACHE_HOME/voice-coach-eval (or --cache).
Results are printed and, with --write-docs, written into docs/recognition.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PROCESS_START = time.monotonic()

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_coach.audio.wavio import write_wav  # noqa: E402
from voice_coach.cli.transcribe import recognize  # noqa: E402
from voice_coach.evaluation import corpus  # noqa: E402
from voice_coach.evaluation.corpus import Condition  # noqa: E402
from voice_coach.evaluation.scoring import Outcome, percentile_ms, rate, score_trials  # noqa: E402
from voice_coach.evaluation.synth import Voice, available  # noqa: E402
from voice_coach.grammar import Grammar  # noqa: E402
from voice_coach.marked_block import replace_marked_block  # noqa: E402
from voice_coach.routines.loader import load_library  # noqa: E402

CHUNK_SAMPLES = 480  # 30 ms
DOC = ROOT / "docs" / "recognition.md"
BEGIN, END = "<!-- eval-results:begin -->", "<!-- eval-results:end -->"


@dataclass(frozen=True)
class Job:
    engine: str
    split: str
    voice: Voice
    voice_index: int
    condition: Condition
    per_intent: int
    stop_repeats: int
    cache: str
    vosk_model: str
    reject: bool
    noise_suppression: int | None = None  # sphinx: WebRTC level; None = the recognizer's default
    per_file: bool = False  # each utterance its own recording and a fresh recognizer, like `transcribe`
    sentences: int = 0  # ordinary sentences per stream, rotating through the split's list (0 = all)


@dataclass
class StreamResult:
    job: Job
    outcomes: list[Outcome]
    stray: int
    audio_s: float
    cpu_s: float
    evidence: list[dict] = field(default_factory=list)


def make_engine(job: Job, grammar: Grammar, evidence_log: list | None):
    if job.engine == "neural":
        from voice_coach.recognition.neural.recognizer import NeuralRecognizer

        return NeuralRecognizer(grammar)
    if job.engine == "fused":
        from voice_coach.recognition.fused import FusedRecognizer

        return FusedRecognizer(grammar)
    if job.engine == "sphinx":
        from voice_coach.recognition.sphinx_recognizer import SphinxRecognizer
        from voice_coach.recognition.sphinx_rejection import RejectionPolicy

        kwargs: dict = {} if job.reject else {"policy": RejectionPolicy()}
        if job.noise_suppression is not None:
            kwargs["noise_suppression"] = job.noise_suppression
        return SphinxRecognizer(grammar, evidence_log=evidence_log, **kwargs)
    from voice_coach.recognition.vosk_recognizer import VoskRecognizer

    return VoskRecognizer(grammar, Path(job.vosk_model))


def grammar() -> Grammar:
    return Grammar.build(load_library().all())


def run_stream(job: Job) -> StreamResult:
    g = grammar()
    cache = Path(job.cache)
    items = [(t, c) for t, c in corpus.select_commands(g, job.voice_index, job.per_intent, job.stop_repeats,
                                                         seed=job.split)]
    pool = corpus.sentences_for(job.split)
    if job.sentences:
        # rotate through the list so that the voices of one condition say different sentences
        items += [(pool[(job.voice_index * job.sentences + k) % len(pool)], None) for k in range(job.sentences)]
    else:
        items += [(s, None) for s in pool]
    random.Random(f"{job.split}/{job.voice.label}").shuffle(items)
    seed = corpus.stable_seed(job.split, job.voice.label, job.condition.label)
    log: list = []
    if job.per_file:
        outcomes, stray, audio_s, cpu, trials = _run_files(job, g, items, seed, cache, log)
    else:
        audio, trials = corpus.build_stream(items, job.voice, job.condition, job.split, seed, cache)
        recognizer = make_engine(job, g, log if job.engine == "sphinx" else None)
        start = time.process_time()
        heard = recognize(recognizer, audio, CHUNK_SAMPLES)
        cpu = time.process_time() - start
        outcomes, stray = score_trials(trials, heard)
        audio_s = audio.size / corpus.SAMPLE_RATE_HZ
    evidence = []
    for at_s, ev, accepted in log:
        trial = next((t for t in trials if t.start_s <= at_s < t.window_end_s), None)
        parsed = g.parse(ev.text)
        positive = (trial is not None and trial.expected is not None and parsed is not None
                    and parsed.intent == trial.expected.intent and dict(parsed.slots) == dict(trial.expected.slots))
        evidence.append({"split": job.split, "voice": job.voice.label, "condition": job.condition.label,
                         "text": ev.text, "said": trial.text if trial else "", "positive": positive,
                         "accepted": accepted, "features": ev.features()})
    return StreamResult(job, outcomes, stray, audio_s, cpu, evidence)


def _run_files(job: Job, g: Grammar, items: list, seed: int, cache: Path, log: list):
    """Every utterance as its own short recording (0.3-1 s of room before and after) and a fresh
    recognizer, the way `voice-coach transcribe` treats a folder of WAV files."""
    rng = random.Random(seed)
    outcomes, trials, stray, audio_s, cpu = [], [], 0, 0.0, 0.0
    offset = 0.0
    for k, item in enumerate(items):
        lead, tail = rng.uniform(0.3, 1.0), rng.uniform(0.3, 1.0)
        audio, file_trials = corpus.build_stream([item], job.voice, job.condition, job.split, seed + k, cache,
                                                 gap_s=tail, lead_s=lead)
        mine: list = []
        recognizer = make_engine(job, g, mine if job.engine == "sphinx" else None)
        start = time.process_time()
        heard = recognize(recognizer, audio, CHUNK_SAMPLES)
        cpu += time.process_time() - start
        file_outcomes, file_stray = score_trials(file_trials, heard)
        outcomes += file_outcomes
        stray += file_stray
        log += [(at_s + offset, ev, accepted) for at_s, ev, accepted in mine]
        trials += [dataclasses.replace(t, start_s=t.start_s + offset, speech_end_s=t.speech_end_s + offset,
                                       window_end_s=t.window_end_s + offset) for t in file_trials]
        offset += audio.size / corpus.SAMPLE_RATE_HZ
        audio_s += audio.size / corpus.SAMPLE_RATE_HZ
    return outcomes, stray, audio_s, cpu, trials


def rss_probe(engine: str, vosk_model: str, wav: str) -> None:
    """Child-process mode: build one recognizer, stream a WAV, print peak RSS in MB."""
    g = grammar()
    job = Job(engine, "tuning", Voice("espeak", "en-us"), 0, Condition(), 1, 0, "", vosk_model, True)
    recognizer = make_engine(job, g, None)
    with wave.open(wav, "rb") as w:
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    recognize(recognizer, audio, CHUNK_SAMPLES)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)


def cold_start_probe(engine: str, vosk_model: str, wav: str) -> None:
    """Child-process mode: seconds from process start (imports, model load) to the first decision on a WAV."""
    from voice_coach.recognition.factory import make_recognizer
    from voice_coach.config import Settings

    recognizer = make_recognizer(Settings(), load_library().all(), engine, vosk_model or None)
    with wave.open(wav, "rb") as w:
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    for start in range(0, audio.size, CHUNK_SAMPLES):
        if recognizer.accept(audio[start : start + CHUNK_SAMPLES]):
            break
    else:
        recognizer.flush()
    print(time.monotonic() - PROCESS_START)


def measure_cold_start(engine: str, vosk_model: str, cache: Path) -> float | None:
    """Median of three fresh processes: from start to the first decision on one "stop"."""
    audio, _ = corpus.build_stream([("stop", None)], corpus.TUNING_VOICES[0], Condition(), "tuning", 1, cache,
                                   gap_s=0.6, lead_s=0.5)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "stop.wav"
        write_wav(wav, audio, corpus.SAMPLE_RATE_HZ)
        for _ in range(3):
            out = subprocess.run([sys.executable, __file__, "--cold-start-probe", str(wav), "--engine", engine,
                                  "--vosk-model", vosk_model], capture_output=True, text=True)
            try:
                times.append(float(out.stdout.strip().splitlines()[-1]))
            except (ValueError, IndexError):
                print(f"cold-start probe failed: {out.stderr.strip()[-500:]}", file=sys.stderr)
                return None
    return sorted(times)[1]


def measure_rss(engine: str, vosk_model: str, cache: Path) -> float | None:
    g = grammar()
    items = [(t, c) for t, c in corpus.select_commands(g, 0, 1, 2, seed="rss")][:12]
    audio, _ = corpus.build_stream(items, corpus.TUNING_VOICES[0], Condition("white", 10), "tuning", 1, cache)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "probe.wav"
        write_wav(wav, audio, corpus.SAMPLE_RATE_HZ)
        out = subprocess.run([sys.executable, __file__, "--rss-probe", str(wav), "--engine", engine,
                              "--vosk-model", vosk_model], capture_output=True, text=True)
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"RSS probe failed: {out.stderr.strip()[-500:]}", file=sys.stderr)
        return None


def fmt(x: float | None, unit: str = "%") -> str:
    if x is None:
        return "–"
    return f"{100 * x:.1f} %" if unit == "%" else f"{x:.0f}{unit}"


def summarize(results: list[StreamResult], engine: str, split: str, rss_mb: float | None,
              cold_s: float | None = None) -> list[str]:
    mine = [r for r in results if r.job.engine == engine and r.job.split == split]
    if not mine:
        return []
    commands = lambda rs: [o for r in rs for o in r.outcomes if o.is_command]  # noqa: E731
    sentences = lambda rs: [o for r in rs for o in r.outcomes if not o.is_command]  # noqa: E731
    by_level: dict[str, list[StreamResult]] = {}
    for r in mine:
        by_level.setdefault(r.job.condition.level, []).append(r)
    stop = [o for o in commands(mine) if o.text == "stop"]
    false_rate = 1 - (rate(sentences(mine)) or 0.0)
    latencies = [o.latency_s for o in commands(mine) if o.latency_s is not None]
    stop_lat = [o.latency_s for o in stop if o.latency_s is not None]
    clean_lat = [o.latency_s for r in by_level.get("clean", []) for o in r.outcomes if o.latency_s is not None]
    rtf = sum(r.cpu_s for r in mine) / sum(r.audio_s for r in mine)
    stray = sum(r.stray for r in mine)
    voices = sorted({r.job.voice.label for r in mine})
    n_cmd, n_sent = len(commands(mine)), len(sentences(mine))
    row = [engine, split, f"{len(voices)}",
           *(fmt(rate(commands(by_level.get(level, [])))) for level in ("clean", "10 dB", "5 dB", "15 dB")),
           f"{fmt(false_rate)} ({n_sent - int(round((1 - false_rate) * n_sent))}/{n_sent})",
           f"{fmt(rate(stop))} ({fmt(percentile_ms(stop_lat, 50), ' ms')} / {fmt(percentile_ms(stop_lat, 95), ' ms')})",
           fmt(percentile_ms(clean_lat, 50), " ms") + " / " + fmt(percentile_ms(clean_lat, 95), " ms"),
           fmt(percentile_ms(latencies, 50), " ms") + " / " + fmt(percentile_ms(latencies, 95), " ms"),
           f"{rtf:.3f}", fmt(rss_mb, " MB"), "–" if cold_s is None else f"{cold_s:.2f} s", f"{n_cmd}", f"{stray}"]
    return ["| " + " | ".join(row) + " |"]


def per_condition(results: list[StreamResult], engine: str, split: str) -> list[str]:
    lines = []
    conditions = sorted({r.job.condition for r in results}, key=lambda c: (c.snr_db == 0, -c.snr_db, c.noise))
    cells = []
    for c in conditions:
        rs = [r for r in results if r.job.engine == engine and r.job.split == split and r.job.condition == c]
        if not rs:
            continue
        cmd = [o for r in rs for o in r.outcomes if o.is_command]
        sent = [o for r in rs for o in r.outcomes if not o.is_command]
        cells.append(f"{c.label}: {fmt(rate(cmd))} right, {fmt(1 - (rate(sent) or 0))} false")
    if cells:
        lines.append(f"- {engine}, {split}: " + "; ".join(cells))
    return lines


def per_voice(results: list[StreamResult]) -> str:
    """One line per (engine, split, voice, condition): commands right and false commands."""
    out = []
    for r in sorted(results, key=lambda r: (r.job.engine, r.job.split, r.job.voice.label, r.job.condition.label)):
        cmd = [o for o in r.outcomes if o.is_command]
        sent = [o for o in r.outcomes if not o.is_command]
        out.append(f"{r.job.engine:6s} {r.job.split:9s} {r.job.voice.label:28s} {r.job.condition.label:13s} "
                   f"right {fmt(rate(cmd)):>8s}  false {fmt(1 - (rate(sent) or 0)):>7s}")
    return "\n".join(out)


HEADER = ("| engine | split | voices | clean | 10 dB | 5 dB | room + 15 dB | false commands | \"stop\" (latency p50 / p95) "
          "| latency p50/p95 clean | latency p50/p95 all | RTF | peak RSS | cold start | command trials | stray |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--enrollment" in argv:  # voice profiles, with their own options: voice_coach/evaluation/enrollment.py
        from voice_coach.evaluation.enrollment import main as enrollment_main

        return enrollment_main([a for a in argv if a != "--enrollment"])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 voices per split, 3 conditions, fewer phrases")
    parser.add_argument("--engine", action="append", choices=["sphinx", "neural", "fused", "vosk"],
                        help="default: sphinx, neural and fused side by side (+vosk with --vosk-model)")
    parser.add_argument("--vosk-model", default="", help="Vosk model folder to evaluate as well")
    parser.add_argument("--split", choices=["tuning", "held-out", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cache", default=os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                                                       "voice-coach-eval"))
    parser.add_argument("--features", help="write every judged grammar result with its rejection cues (JSON lines)")
    parser.add_argument("--no-reject", action="store_true", help="sphinx: accept every complete grammar result")
    parser.add_argument("--ns", type=int, default=None, help="sphinx: WebRTC noise suppression level 0-4")
    parser.add_argument("--write-docs", action="store_true", help=f"write the tables into {DOC.relative_to(ROOT)}")
    parser.add_argument("--show-errors", type=int, default=0, help="print up to N wrong trials per split")
    parser.add_argument("--conditions", help="comma-separated condition labels to run, e.g. clean,babble@10dB")
    parser.add_argument("--per-file", action="store_true",
                        help="each utterance as its own recording with a fresh recognizer (like transcribe)")
    parser.add_argument("--per-voice", action="store_true", help="print commands right / false commands per voice")
    parser.add_argument("--per-intent", type=int, default=1, help="phrasings of every intent per stream")
    parser.add_argument("--stops", type=int, default=5, help="extra \"stop\"s per stream")
    parser.add_argument("--sentences", type=int, default=40,
                        help="ordinary sentences per stream, rotating through the split's list (0 = all)")
    parser.add_argument("--noisy-sentences", type=int, default=12,
                        help="ordinary sentences per stream in noisy rooms (the clean streams carry the false-command count)")
    parser.add_argument("--rss-probe", help=argparse.SUPPRESS)
    parser.add_argument("--cold-start-probe", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    engines = args.engine or (["sphinx", "neural", "fused"] + (["vosk"] if args.vosk_model else []))
    if args.rss_probe:
        rss_probe(engines[0], args.vosk_model, args.rss_probe)
        return 0
    if args.cold_start_probe:
        cold_start_probe(engines[0], args.vosk_model, args.cold_start_probe)
        return 0
    if not (available("espeak") and available("flite")):
        print("error: espeak-ng, flite and sox are needed to synthesize the corpus", file=sys.stderr)
        return 2
    splits = ["tuning", "held-out"] if args.split == "both" else [args.split]
    conditions = corpus.QUICK_CONDITIONS if args.quick else corpus.CONDITIONS
    if args.conditions:
        wanted = {c.strip() for c in args.conditions.split(",") if c.strip()}
        known = {c.label: c for c in corpus.CONDITIONS}
        unknown = sorted(wanted - set(known))
        if unknown:
            print(f"error: unknown condition(s) {', '.join(unknown)}; choose from {', '.join(known)}", file=sys.stderr)
            return 2
        conditions = tuple(c for c in corpus.CONDITIONS if c.label in wanted)
    jobs = []
    for engine in engines:
        for split in splits:
            voices = corpus.voices_for(split)
            if args.quick:
                voices = voices[:1] + voices[-2:-1]
            for vi, voice in enumerate(voices):
                for condition in conditions:
                    jobs.append(Job(engine, split, voice, vi, condition, 1 if args.quick else args.per_intent,
                                    3 if args.quick else args.stops, args.cache, args.vosk_model, not args.no_reject, args.ns,
                                    args.per_file, 12 if args.quick else (
                                        args.sentences if not condition.noise else args.noisy_sentences)))
    started = time.monotonic()
    # TFLite interpreters hang in forked children: spawn the workers.
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(run_stream, jobs))
    print(f"# {len(jobs)} streams in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if args.features:
        with open(args.features, "w") as out:
            for r in results:
                for ev in r.evidence:
                    out.write(json.dumps(ev) + "\n")
    lines = [HEADER]
    for engine in engines:
        rss = measure_rss(engine, args.vosk_model, Path(args.cache))
        cold = measure_cold_start(engine, args.vosk_model, Path(args.cache))
        for split in splits:
            lines += summarize(results, engine, split, rss, cold)
    lines.append("")
    lines.append("Per condition (commands recognized right; sentences that produced a command):")
    lines.append("")
    for engine in engines:
        for split in splits:
            lines += per_condition(results, engine, split)
    table = "\n".join(lines)
    print(table)
    if args.per_voice:
        print()
        print(per_voice(results))
    if args.show_errors:
        for split in splits:
            wrong = [(r.job.voice.label, r.job.condition.label, o) for r in results if r.job.split == split
                     for o in r.outcomes if not o.correct]
            print(f"\n## {split}: {len(wrong)} wrong trials (first {args.show_errors})")
            for voice, cond, o in wrong[: args.show_errors]:
                print(f"  {voice:28s} {cond:14s} {'CMD' if o.is_command else 'SEN'} {o.text!r} -> {list(o.heard)}")
    if args.write_docs:
        mode = "quick run" if args.quick else "full run"
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        block = f"{BEGIN}\n_{mode}, {stamp}, `scripts/eval_recognition.py{' --quick' if args.quick else ''}`_\n\n{table}\n{END}"
        text = DOC.read_text() if DOC.exists() else ""
        DOC.write_text(replace_marked_block(text, BEGIN, END, block) or text + "\n" + block + "\n")
        card = ROOT / "voice_coach" / "recognition" / "neural" / "data" / "MODEL_CARD.md"
        if card.exists():
            from voice_coach.training.model_card import RESULTS_BEGIN, RESULTS_END

            inner = block.replace(BEGIN, RESULTS_BEGIN).replace(END, RESULTS_END)
            text = replace_marked_block(card.read_text(), RESULTS_BEGIN, RESULTS_END, inner)
            if text is not None:
                card.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
