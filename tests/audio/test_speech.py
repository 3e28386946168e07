"""Speech without a sound device: synthesis, settings, the recording fake."""

import threading

import numpy as np
import pytest

from voice_coach.audio import tts
from voice_coach.audio.fake_speaker import RecordingSpeaker
from voice_coach.config import SpeechSettings
from voice_coach.errors import AudioError

from tests.waiting import PATIENCE_S

SENTENCE = "Press your thumb into the arch and move it in small slow circles toward the heel."


def seconds(text, settings):
    samples, rate = tts.synthesize(text, settings)
    assert samples.dtype == np.int16 and rate > 0 and np.abs(samples).max() > 1000
    return len(samples) / rate


def test_duration_scales_with_rate():
    slow = seconds(SENTENCE, SpeechSettings(rate_wpm=120))
    fast = seconds(SENTENCE, SpeechSettings(rate_wpm=240))
    assert 1.6 < slow / fast < 2.4
    assert 3.0 < slow < 9.0


def test_volume_scales_the_samples():
    loud, _ = tts.synthesize("hello there", SpeechSettings(volume=1.0))
    quiet, _ = tts.synthesize("hello there", SpeechSettings(volume=0.25))
    assert np.abs(quiet).max() == pytest.approx(np.abs(loud).max() * 0.25, rel=0.05)


def test_espeak_cli_fallback_speaks_too(monkeypatch):
    monkeypatch.setenv("VOICE_COACH_TTS_CLI", "1")
    assert 1.0 < seconds(SENTENCE, SpeechSettings(rate_wpm=200)) < 7.0


def test_unknown_voice_is_a_clear_error():
    with pytest.raises(AudioError) as info:
        tts.synthesize("hello", SpeechSettings(voice="xx-no-such-voice"))
    assert "xx-no-such-voice" in info.value.message and "espeak-ng --voices" in info.value.fix


def test_other_voice_changes_the_sound():
    a, _ = tts.synthesize("hello there", SpeechSettings(voice="en-us"))
    b, _ = tts.synthesize("hello there", SpeechSettings(voice="en-gb+f3"))
    assert len(a) != len(b) or not np.array_equal(a, b)


def test_empty_text_is_silence():
    samples, _ = tts.synthesize("   ")
    assert len(samples) == 0


def test_adjust_applies_deltas_and_clamps():
    spk = RecordingSpeaker(SpeechSettings(rate_wpm=160, volume=0.9))
    assert spk.adjust(rate_delta_wpm=-20).rate_wpm == 140
    assert spk.adjust(volume_delta=0.3).volume == 1.0
    for _ in range(20):
        spk.adjust(rate_delta_wpm=-20, volume_delta=-0.1)
    assert (spk.settings.rate_wpm, spk.settings.volume) == (tts.MIN_RATE_WPM, 0.0)
    spk.say("slowly now", 1)
    assert spk.said[-1].rate_wpm == tts.MIN_RATE_WPM


def test_recording_speaker_immediate():
    events = []
    spk = RecordingSpeaker(on_started=lambda u: events.append(("start", u)),
                           on_finished=lambda u, i: events.append(("end", u, i)))
    spk.say("one", 1)
    spk.say("two", 2)
    assert spk.texts == ["one", "two"]
    assert events == [("start", 1), ("end", 1, False), ("start", 2), ("end", 2, False)]
    assert not spk.is_speaking


def test_recording_speaker_timed_plays_in_order_and_stops():
    ends, at_first_start = [], []
    second_started = threading.Event()

    def started(uid):
        if uid == 1:  # what the fake reports at the moment its first utterance begins
            at_first_start.append((spk.is_speaking, list(ends)))
        if uid == 2:
            second_started.set()

    spk = RecordingSpeaker(SpeechSettings(rate_wpm=300), timed=True, time_scale=0.5,
                           on_started=started, on_finished=lambda u, i: ends.append((u, i)))
    spk.start()
    try:
        spk.say("one two three four five", 1)  # 1 s at 300 wpm, halved
        spk.say(" ".join(["long"] * 1000), 2)  # 100 s: still playing whenever the test gets to stop it
        spk.say("eight", 3)
        assert second_started.wait(PATIENCE_S), "the second utterance never started"
        assert at_first_start == [(True, [])]
        assert ends == [(1, False)]  # the first played to its end before the second began
        spk.stop()
        # stop() does not wait for the playing utterance: everything left ends, cut off, as it returns
        assert sorted(ends) == [(1, False), (2, True), (3, True)]
        assert not spk.is_speaking
        assert [s.utterance_id for s in spk.spans()] == [1, 2]
        first = spk.spans()[0]
        assert 0.5 <= first.end - first.start < 0.5 + PATIENCE_S  # never shorter than its timed length
    finally:
        spk.close()


def test_a_pyttsx3_engine_elsewhere_in_the_process_does_not_break_synthesis(tmp_path):
    import pyttsx3

    before = seconds(SENTENCE, SpeechSettings(rate_wpm=200))
    result = {}

    def other_code_uses_pyttsx3():
        engine = pyttsx3.init("espeak")
        engine.save_to_file("hello", str(tmp_path / "other.wav"))
        engine.runAndWait()
        result["after"] = seconds(SENTENCE, SpeechSettings(rate_wpm=200))

    worker = threading.Thread(target=other_code_uses_pyttsx3, daemon=True)
    worker.start()
    worker.join(60)  # espeak re-initialized asynchronously used to hang here
    assert result.get("after") == pytest.approx(before, abs=0.01)


def test_nothing_that_can_speak_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICE_COACH_TTS_CLI", "1")  # as if pyttsx3/libespeak-ng were missing
    monkeypatch.setenv("PATH", str(tmp_path))  # and no espeak-ng program either
    with pytest.raises(AudioError) as info:
        tts.synthesize("hello")
    assert "no speech engine" in info.value.message and "apt-get install espeak-ng" in info.value.fix
