"""Synthesize test speech offline with espeak-ng (incl. mbrola voices), flite and SVOX pico, as 16 kHz mono int16.

Used by the evaluation harness (scripts/eval_recognition.py) and by the
recognizer tests, which synthesize their audio at test time instead of
shipping recordings.  Results are cached on disk by (voice, text) because the
harness synthesizes thousands of utterances.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE_HZ = 16000


@dataclass(frozen=True)
class Voice:
    """One synthetic speaker.

    engine: "espeak", "flite" or "pico".
    name: espeak-ng voice with optional variant ("en-gb+f2", mbrola "mb-us1"), flite
        voice ("slt") or pico language ("en-US", "en-GB").
    rate_wpm / pitch: espeak-ng only (flite and pico ignore them).
    tempo: speed factor applied afterwards by sox (1.0 = unchanged; 1.1 = 10 % faster).
    semitones: pitch shift applied afterwards by sox, in semitones.
    """

    engine: str
    name: str
    rate_wpm: int = 160
    pitch: int = 50
    tempo: float = 1.0
    semitones: float = 0.0

    @property
    def label(self) -> str:
        base = f"{self.engine}:{self.name}" if self.engine != "espeak" else \
            f"espeak:{self.name}@{self.rate_wpm}/{self.pitch}"
        if self.tempo != 1.0 or self.semitones != 0.0:
            base += f"~t{self.tempo:g}p{self.semitones:g}"
        return base


def available(engine: str) -> bool:
    """True when the synthesizer program (and sox, for resampling) is installed."""
    program = {"espeak": "espeak-ng", "flite": "flite", "pico": "pico2wave"}[engine]
    return shutil.which(program) is not None and shutil.which("sox") is not None


def _read_wav_int16(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        if wav.getsampwidth() != 2 or wav.getnchannels() != 1 or wav.getframerate() != SAMPLE_RATE_HZ:
            raise ValueError(f"{path}: expected 16-bit mono {SAMPLE_RATE_HZ} Hz after sox")
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).copy()


def synthesize(text: str, voice: Voice, cache_dir: Path | None = None) -> np.ndarray:
    """Speak ``text`` with ``voice``; returns 16 kHz mono int16 samples.

    Raises RuntimeError when the synthesizer fails (callers decide whether to skip).
    """
    key = hashlib.sha1(f"{voice.label}|{text}".encode()).hexdigest()[:20]
    cached = cache_dir / f"{key}.wav" if cache_dir else None
    if cached is not None and cached.exists():
        return _read_wav_int16(cached)
    with tempfile.TemporaryDirectory(prefix="vc-synth-") as tmp:
        raw, out = Path(tmp) / "raw.wav", Path(tmp) / "out.wav"
        if voice.engine == "espeak":
            cmd = ["espeak-ng", "-v", voice.name, "-s", str(voice.rate_wpm), "-p", str(voice.pitch),
                   "-w", str(raw), text]
        elif voice.engine == "flite":
            cmd = ["flite", "-voice", voice.name, "-t", text, "-o", str(raw)]
        elif voice.engine == "pico":
            cmd = ["pico2wave", "-l", voice.name, "-w", str(raw), text]
        else:
            raise ValueError(f"unknown synthesizer {voice.engine!r}")
        subprocess.run(cmd, check=True, capture_output=True, timeout=60)
        effects: list[str] = []
        if voice.semitones:
            effects += ["pitch", f"{100 * voice.semitones:.0f}"]
        if voice.tempo != 1.0:
            effects += ["tempo", "-s", f"{voice.tempo:g}"]
        # sox resamples with a proper anti-aliasing filter; -G avoids clipping; -R seeds its
        # dither, so the same words give the same samples in every run (cache keys, fixed seeds).
        subprocess.run(["sox", "-R", "-G", str(raw), "-r", str(SAMPLE_RATE_HZ), "-c", "1", "-b", "16", str(out),
                        *effects], check=True, capture_output=True, timeout=60)
        samples = _read_wav_int16(out)
        if cached is not None:
            # Copied beside the cache entry, then renamed: a parallel worker that finds the entry
            # must never read a half-copied file (it would hear the utterance cut short).  The copy's
            # name is unique per call: threads of one process share a pid.
            cached.parent.mkdir(parents=True, exist_ok=True)
            handle, partial = tempfile.mkstemp(prefix=f"{cached.stem}.", suffix=".partial", dir=cached.parent)
            os.close(handle)
            shutil.copyfile(out, partial)
            os.replace(partial, cached)
    return samples
