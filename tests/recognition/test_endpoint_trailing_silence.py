"""Trailing-silence detection on 10 ms frames with an adaptive noise floor."""

import numpy as np
import pytest

from voice_coach.recognition.endpoint import FRAME_SAMPLES, TrailingSilence, frame_db

RNG = np.random.default_rng(7)


def noise(seconds, rms):
    return np.clip(RNG.normal(0, rms, int(16000 * seconds)), -32768, 32767).astype(np.int16)


def speech_like(seconds, rms=6000):
    t = np.arange(int(16000 * seconds)) / 16000
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)  # syllable-rate loudness changes
    return (rms * envelope * np.sin(2 * np.pi * 220 * t) * np.sqrt(2)).astype(np.int16)


def silent_after(detector, audio, chunk=160):
    """Seconds of ``audio`` fed when the detector first reports silence (None if never)."""
    for i in range(0, len(audio), chunk):
        if detector.update(audio[i : i + chunk]):
            return (i + chunk) / 16000
    return None


def test_frame_db():
    assert frame_db(np.zeros(160, np.int16)) == -120.0
    assert frame_db(np.full(160, 32767, np.int16)) == pytest.approx(0.0, abs=0.01)
    assert frame_db(np.full(160, 3277, np.int16)) == pytest.approx(-20.0, abs=0.05)


@pytest.mark.parametrize("floor_rms", [0, 30, 300, 1000])  # digital silence … a loud fan
def test_reports_silence_after_min_silence_s_of_quiet(floor_rms):
    det = TrailingSilence(min_silence_s=0.18)
    assert silent_after(det, noise(1.0, floor_rms)) is None  # no speech yet: nothing to end
    assert silent_after(det, speech_like(0.5)) is None
    after = silent_after(det, noise(1.0, floor_rms))
    assert after == pytest.approx(0.18, abs=0.021)


def test_short_pauses_inside_speech_do_not_count():
    det = TrailingSilence(min_silence_s=0.18)
    det.update(noise(0.5, 100))
    audio = np.concatenate([speech_like(0.3), noise(0.1, 100), speech_like(0.3)])
    assert silent_after(det, audio) is None
    assert det.speech_seen and det.silence_s == 0.0


def test_any_chunking_gives_the_same_answer():
    audio = np.concatenate([noise(0.5, 100), speech_like(0.4), noise(0.5, 100)])
    results = {chunk: silent_after(TrailingSilence(), audio, chunk) for chunk in (1, 7, 160, 480, 1601)}
    for chunk, t in results.items():
        assert t == pytest.approx(0.5 + 0.4 + 0.18, abs=chunk / 16000 + 0.011), chunk


def test_reset_keeps_the_noise_floor_but_forgets_the_speech():
    det = TrailingSilence()
    det.update(noise(0.5, 300))
    det.update(speech_like(0.3))
    floor = det.floor_db
    det.reset()
    assert not det.speech_seen and det.floor_db == floor
    assert silent_after(det, noise(0.5, 300)) is None


def test_floor_rises_only_slowly_so_speech_is_not_learned_as_noise():
    det = TrailingSilence()
    det.update(noise(0.5, 100))
    quiet_floor = det.floor_db
    det.update(speech_like(2.0))  # two seconds of talking
    assert det.floor_db - quiet_floor <= 2.0 * det.floor_rise_db_per_s + 0.5
    assert det.floor_db < frame_db(speech_like(0.01)) - det.margin_db


def test_frame_size_constant():
    assert FRAME_SAMPLES == 160
