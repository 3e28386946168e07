"""Text to audio, without playing it: ``synthesize(text, settings) -> (int16 samples, rate)``.

espeak-ng is driven in-process through pyttsx3's ctypes binding
(``pyttsx3.drivers._espeak``) in *synchronous* mode: ``Synth`` returns when
the whole utterance has been handed to our callback.  pyttsx3's own engine
loop is not used: its ``say()`` plays through aplay and cannot be interrupted,
and with its ``save_to_file`` queue the rate set for one file was measured
here (pyttsx3 2.99) to be ignored for the next ones (espeak's asynchronous
mode applies parameter changes out of order).  When pyttsx3 or libespeak-ng
is unavailable the ``espeak-ng`` program writes a WAV instead (set
``VOICE_COACH_TTS_CLI=1`` to force that path).  Volume is applied to the
samples so both paths sound the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import numpy as np

from voice_coach.audio.wavio import downmix, read_wav_raw
from voice_coach.config import SpeechSettings
from voice_coach.errors import AudioError

MIN_RATE_WPM, MAX_RATE_WPM = 80, 320

_lock = threading.Lock()  # espeak keeps global state: one synthesis at a time
_espeak = None  # the binding module once initialized
_espeak_rate_hz = 0
_espeak_failed: str | None = None
_chunks: list[bytes] = []


def clamp_settings(settings: SpeechSettings) -> SpeechSettings:
    """Rate to 80–320 wpm and volume to 0–1, so "faster" ten times stays intelligible."""
    import dataclasses

    rate = int(min(MAX_RATE_WPM, max(MIN_RATE_WPM, settings.rate_wpm)))
    volume = float(min(1.0, max(0.0, settings.volume)))
    return dataclasses.replace(settings, rate_wpm=rate, volume=volume)


def _on_audio(wav, numsamples, events) -> int:
    # Called by espeak inside Synth (synchronous mode), on the synthesizing thread.
    if numsamples > 0:
        import ctypes

        _chunks.append(ctypes.string_at(wav, numsamples * 2))
    return 0


def _keep_pyttsx3_from_reinitializing() -> None:
    # espeak can be initialized once per process.  A pyttsx3 engine created later would
    # re-initialize it in asynchronous mode and break synthesize(); its driver skips that
    # when told the library is already initialized.
    try:
        from pyttsx3.drivers.espeak import EspeakDriver

        EspeakDriver._moduleInitialized = True
        EspeakDriver._defaultVoice = EspeakDriver._defaultVoice or "en-us"
    except Exception:
        pass


def _binding():
    """The initialized espeak binding, or None (reason kept in ``_espeak_failed``)."""
    global _espeak, _espeak_rate_hz, _espeak_failed
    if _espeak is None and _espeak_failed is None:
        try:
            from pyttsx3.drivers import _espeak as binding

            rate = binding.Initialize(binding.AUDIO_OUTPUT_SYNCHRONOUS, 500, None, 0)
            if rate <= 0:
                raise RuntimeError("espeak_Initialize failed")
            binding.SetSynthCallback(_on_audio)
            _espeak, _espeak_rate_hz = binding, rate
            _keep_pyttsx3_from_reinitializing()
        except Exception as exc:  # missing module or libespeak-ng
            _espeak_failed = f"{type(exc).__name__}: {exc}"
    return _espeak


def _select_voice(binding, voice: str) -> None:
    """Select ``voice`` like the espeak-ng program does: a voice name, or a language ("en-gb"), plus "+variant"."""
    if binding.SetVoiceByName(voice.encode()) == binding.EE_OK:
        return
    base, _, variant = voice.partition("+")
    for v in binding.ListVoices():
        # ``languages`` starts with a priority byte, then the first language code.
        language = (v.languages or b"")[1:].decode(errors="replace").lower()
        if language == base.lower() and v.identifier:
            name = v.identifier.decode() + (f"+{variant}" if variant else "")
            if binding.SetVoiceByName(name.encode()) == binding.EE_OK:
                return
    raise AudioError(f'unknown voice "{voice}"', "pick one listed by espeak-ng --voices, e.g. en-us or en-gb+f3")


def _with_binding(binding, text: str, s: SpeechSettings) -> np.ndarray:
    _select_voice(binding, s.voice or "en-us")
    binding.SetParameter(binding.RATE, s.rate_wpm, 0)  # after the voice: choosing a voice resets it
    _chunks.clear()
    binding.SetSynthCallback(_on_audio)  # again: a pyttsx3 engine made elsewhere would have replaced it
    binding.Synth(text, flags=binding.CHARS_UTF8 | binding.ENDPAUSE)
    samples = np.frombuffer(b"".join(_chunks), dtype="<i2").astype(np.int16)
    _chunks.clear()
    return samples


def _with_espeak_cli(text: str, s: SpeechSettings, out: Path) -> None:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        raise AudioError("no speech engine: in-process espeak-ng could not start "
                         f"({_espeak_failed or 'skipped: VOICE_COACH_TTS_CLI is set'}) and espeak-ng is not installed",
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
    if not text.strip():
        return np.zeros(0, dtype=np.int16), 22050
    with _lock:
        binding = _binding() if not os.environ.get("VOICE_COACH_TTS_CLI") else None
        if binding is not None:
            samples, rate = _with_binding(binding, text, s), _espeak_rate_hz
        else:
            with tempfile.TemporaryDirectory(prefix="voice-coach-tts-") as tmp:
                out = Path(tmp) / "speech.wav"
                _with_espeak_cli(text, s, out)
                frames, info = read_wav_raw(out)
                samples, rate = downmix(frames), info.rate_hz
    if s.volume < 1.0:
        samples = (samples.astype(np.float32) * s.volume).astype(np.int16)
    return samples, rate
