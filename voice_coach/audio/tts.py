"""Text to audio, without playing it: ``synthesize(text, settings) -> (int16 samples, rate)``.

pyttsx3's espeak driver is used through ``save_to_file`` with one
``runAndWait`` per sentence, the only mode measured reliable here (its
``say()`` plays through aplay and cannot be interrupted).  When pyttsx3 or its
espeak library is unavailable the ``espeak-ng`` program writes the WAV
instead.  Volume is applied to the samples (not inside the engine) so both
paths sound the same and the speaker can change it for audio already made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import wave
from pathlib import Path

import numpy as np

from voice_coach.config import SpeechSettings
from voice_coach.errors import AudioError

MIN_RATE_WPM, MAX_RATE_WPM = 80, 320

_lock = threading.Lock()  # pyttsx3/espeak keep global state: one synthesis at a time
_engine = None
_engine_failed: str | None = None


def clamp_settings(settings: SpeechSettings) -> SpeechSettings:
    """Rate to 80–320 wpm and volume to 0–1, so "faster" ten times stays intelligible."""
    import dataclasses

    rate = int(min(MAX_RATE_WPM, max(MIN_RATE_WPM, settings.rate_wpm)))
    volume = float(min(1.0, max(0.0, settings.volume)))
    return dataclasses.replace(settings, rate_wpm=rate, volume=volume)


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise AudioError(f"speech engine wrote {8 * w.getsampwidth()}-bit audio to {path}", "reinstall espeak-ng")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.int16)
        if w.getnchannels() > 1:
            data = data.reshape(-1, w.getnchannels())[:, 0].copy()
        return data, w.getframerate()


def _pyttsx3_engine():
    """The shared engine, or None (reason kept in ``_engine_failed``) when it cannot start."""
    global _engine, _engine_failed
    if _engine is None and _engine_failed is None:
        try:
            import pyttsx3
            import pyttsx3.drivers.espeak as driver

            # The driver prints "Audio saved to …" on every file; silence only that module's print,
            # because redirecting sys.stdout would also swallow the live status display.
            driver.print = lambda *args, **kwargs: None
            engine = pyttsx3.init("espeak")
            engine.runAndWait()  # warm-up: the first runAndWait after init returns at once
            _engine = engine
        except Exception as exc:  # missing module, libespeak, or driver error
            _engine_failed = f"{type(exc).__name__}: {exc}"
    return _engine


def _with_pyttsx3(engine, text: str, s: SpeechSettings, out: Path) -> None:
    engine.setProperty("rate", s.rate_wpm)
    engine.setProperty("volume", 1.0)
    engine.setProperty("voice", s.voice or "en-us")
    engine.save_to_file(text, str(out))
    engine.runAndWait()


def _with_espeak_cli(text: str, s: SpeechSettings, out: Path) -> None:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        raise AudioError("no speech engine: pyttsx3 could not start "
                         f"({_engine_failed or 'unknown reason'}) and espeak-ng is not installed",
                         "install it: sudo apt-get install espeak-ng")
    cmd = [exe, "-w", str(out), "-s", str(s.rate_wpm), "-v", s.voice or "en-us", "--", text]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AudioError(f"espeak-ng failed: {done.stderr.strip() or done.returncode}",
                         "check the voice name (espeak-ng --voices lists them)")


def synthesize(text: str, settings: SpeechSettings | None = None) -> tuple[np.ndarray, int]:
    """Speak ``text`` into memory: mono int16 samples and their sample rate (Hz).

    Raises AudioError when no engine can speak or the voice does not exist.
    """
    s = clamp_settings(settings or SpeechSettings())
    with _lock, tempfile.TemporaryDirectory(prefix="voice-coach-tts-") as tmp:
        out = Path(tmp) / "speech.wav"
        engine = _pyttsx3_engine() if not os.environ.get("VOICE_COACH_TTS_CLI") else None
        if engine is not None:
            try:
                _with_pyttsx3(engine, text, s, out)
            except ValueError as exc:  # unknown voice
                raise AudioError(f'unknown voice "{s.voice}" ({exc})',
                                 "pick one listed by espeak-ng --voices, e.g. en-us or en-gb+f3") from None
        if not out.exists() or out.stat().st_size <= 44:
            _with_espeak_cli(text, s, out)
        samples, rate = _read_wav(out)
    if s.volume < 1.0:
        samples = (samples.astype(np.float32) * s.volume).astype(np.int16)
    return samples, rate
