#!/usr/bin/env python3
"""Speed of the grammar, WAV reading/resampling and the Vosk adapter's own overhead.

Writes the "Grammar, WAV input, Vosk adapter" section of docs/benchmarks.md
(other sections are left alone).  Run: .venv/bin/python scripts/bench_grammar_wavio.py

The Vosk numbers use the synthetic tone-language test model, so they measure
our streaming/JSON/endpoint code around libvosk, not a real acoustic model.
"""

from __future__ import annotations

import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.grammar_routines import grammar_routines  # noqa: E402
from fixtures.tiny_vosk_model import build, synthesize  # noqa: E402
from voice_coach.audio.wavio import read_wav, write_wav  # noqa: E402
from voice_coach.grammar import Grammar  # noqa: E402
from voice_coach.recognition.vosk_recognizer import VoskRecognizer  # noqa: E402

SECTION = "## Grammar, WAV input, Vosk adapter"


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rows = []
    routines = grammar_routines()
    grammar = Grammar.build(routines)
    rows.append((f"Grammar.build ({len(routines)} routines, {len(grammar.phrases())} phrasings)",
                 f"{best_of(lambda: Grammar.build(routines)) * 1e3:.2f} ms"))
    rnd = random.Random(1)
    vocab = sorted(grammar.words())
    texts = [" ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 5))) for _ in range(20000)]
    texts += [t for t, _ in grammar.phrases()] * 50
    per = best_of(lambda: [grammar.parse(t) for t in texts], 3) / len(texts)
    rows.append(("Grammar.parse, per utterance", f"{per * 1e6:.1f} µs"))

    with tempfile.TemporaryDirectory() as tmp:
        rng = np.random.default_rng(0)
        for rate, channels in ((16000, 1), (44100, 2), (48000, 1), (8000, 1)):
            audio = rng.normal(0, 3000, (rate * 10, channels)).astype(np.int16)
            path = Path(tmp) / f"{rate}.wav"
            write_wav(path, audio, rate)
            t = best_of(lambda: read_wav(path), 3)
            rows.append((f"read_wav 10 s {rate} Hz {'stereo' if channels == 2 else 'mono'} → 16 kHz mono",
                         f"{t * 1e3:.1f} ms (RTF {t / 10:.4f})"))

        model = build(Path(tmp) / "model", grammar.words())
        audio = np.concatenate([synthesize(["pain", "five"]), synthesize(["stop"]), np.zeros(16000 * 8, np.int16)])
        seconds = len(audio) / 16000

        def run_vosk():
            rec = VoskRecognizer(grammar, model)
            for i in range(0, len(audio), 1600):
                rec.accept(audio[i : i + 1600])
            rec.flush()

        t = best_of(run_vosk, 3)
        rows.append((f"VoskRecognizer on {seconds:.1f} s, tone test model (adapter + libvosk decoding)",
                     f"{t * 1e3:.0f} ms (RTF {t / seconds:.4f})"))
        rec = VoskRecognizer(grammar, model)
        heard = [h for i in range(0, len(audio), 1600) for h in rec.accept(audio[i : i + 1600])]
        end_of_stop = len(synthesize(["pain", "five"])) / 16000 + 0.6
        rows.append(('decision latency after "stop" ends (fast path, test model)',
                     f"{(heard[-1].at_s - end_of_stop) * 1e3:.0f} ms"))

    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    lines = [SECTION, "", f"Measured by `scripts/bench_grammar_wavio.py` on {machine} (best of several runs).", "",
             "| what | time |", "| --- | --- |", *[f"| {a} | {b} |" for a, b in rows], ""]
    write_section(ROOT / "docs" / "benchmarks.md", "\n".join(lines))
    print("\n".join(lines))


def write_section(path: Path, section: str) -> None:
    """Replace this script's section of the shared benchmarks file, keep everything else."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
