"""The engine-independent segmenter: one segment per utterance, early look, long talk never judged."""

from __future__ import annotations

import numpy as np
import pytest

from voice_coach.evaluation import corpus
from voice_coach.evaluation.corpus import Condition, normalized, speech_end
from voice_coach.evaluation.synth import Voice, available, synthesize
from voice_coach.recognition.segmenter import Segmenter, SegmenterSettings, _Open

RATE = 16000


def burst(seconds: float, level: float = 0.1, seed: int = 0) -> np.ndarray:
    """Speech-like: noise modulated at a syllable rate."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    return rng.standard_normal(t.size) * level * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))


def quiet(seconds: float, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 10 ** (-65 / 20)


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)


def feed(segmenter: Segmenter, audio: np.ndarray, chunk: int = 480):
    out = []
    for k in range(0, audio.size, chunk):
        out += segmenter.accept(audio[k : k + chunk])
    return out + segmenter.flush()


def test_one_utterance_gives_an_early_look_then_one_final_segment():
    audio = to_int16(np.concatenate([quiet(1.0), burst(0.6), quiet(1.0)]))
    segments = feed(Segmenter(), audio)
    early = [s for s in segments if not s.final]
    final = [s for s in segments if s.final]
    assert len(final) == 1 and len(early) == 1
    seg = final[0]
    assert 0.7 <= seg.start_s <= 1.0  # the pre-roll reaches back before the onset
    assert 1.55 <= seg.end_s <= 1.7 and seg.at_s >= seg.end_s + 0.2
    assert early[0].start_s == seg.start_s and early[0].at_s < seg.at_s
    assert seg.audio.size == round((seg.at_s - seg.start_s) * RATE)


def test_the_same_segments_whatever_the_chunk_size():
    audio = to_int16(np.concatenate([quiet(1.0), burst(0.5), quiet(0.8), burst(0.9, seed=3), quiet(1.0)]))
    a = [(s.start_s, s.end_s, s.final) for s in feed(Segmenter(), audio, 480)]
    b = [(s.start_s, s.end_s, s.final) for s in feed(Segmenter(), audio, 1777)]
    assert a == b and sum(final for *_, final in a) == 2


def test_talk_longer_than_any_command_is_never_judged_not_even_its_tail():
    settings = SegmenterSettings(max_segment_s=2.0)
    long_talk = np.concatenate([burst(2.6), quiet(0.08), burst(0.5, seed=4)])  # a short pause near the end
    audio = to_int16(np.concatenate([quiet(1.0), long_talk, quiet(1.0), burst(0.5, seed=5), quiet(1.0)]))
    final = [s for s in feed(Segmenter(settings), audio) if s.final]
    assert len(final) == 1 and final[0].start_s > 4.0  # only the separate utterance after the talk


def test_a_click_is_too_short_to_judge():
    audio = to_int16(np.concatenate([quiet(1.0), burst(0.05), quiet(1.0)]))
    assert [s for s in feed(Segmenter(), audio) if s.final] == []


def test_the_noisy_room_reference_level_is_the_80th_percentile_of_the_earlier_frames():
    rng = np.random.default_rng(3)
    opened = _Open(start_frame=0, onset_frame=0, noisy=True)
    for level in rng.uniform(-80.0, 0.0, 200):
        opened.levels.append(float(level))
        for needed in (12, 25):
            if len(opened.levels) > needed:
                expected = float(np.percentile(opened.levels[:-needed], 80))
                assert abs(opened.loud_reference(needed) - expected) < 1e-9


def noisy_room(seconds: float, seed: int = 2) -> np.ndarray:
    """White noise at -35 dBFS: well above the segmenter's noisy-room level (-50 dBFS)."""
    return np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 10 ** (-35 / 20)


def test_in_a_noisy_room_a_word_whose_vowel_alone_stands_out_is_still_judged():
    # 0.12 s of loud speech: below the quiet room's minimum, above the noisy room's.
    room = noisy_room(3.0)
    room[RATE : RATE + round(0.12 * RATE)] += burst(0.12, level=0.2)
    final = [s for s in feed(Segmenter(), to_int16(room)) if s.final]
    assert len(final) == 1 and final[0].noisy and 0.08 <= final[0].speech_s < 0.15
    quiet_room = to_int16(np.concatenate([quiet(1.0), burst(0.12, level=0.2), quiet(1.0)]))
    assert [s for s in feed(Segmenter(), quiet_room) if s.final] == []


@pytest.mark.skipif(not available("espeak"), reason="espeak-ng and sox are needed to synthesize test speech")
def test_stop_said_in_white_noise_at_10_db_gets_a_segment():
    # Measured on the tuning voices: with the quiet room's minimum for every room, white noise at
    # 10 dB hid the "st" and "p" so that 19 of 115 commands ("stop" most of all) got no segment.
    speech = normalized(synthesize("stop", Voice("espeak", "en-gb-x-gbcwmd+m2", 165, 45)))
    clean = np.concatenate([np.zeros(RATE), speech, np.zeros(RATE)])
    noise = corpus.noise(Condition("white", 10), clean.size, "tuning", seed=5, cache_dir=None)
    final = [s for s in feed(Segmenter(), to_int16(clean + noise)) if s.final]
    assert len(final) == 1 and final[0].noisy
    assert final[0].onset_s < 1.0 + speech_end(speech) < final[0].at_s
