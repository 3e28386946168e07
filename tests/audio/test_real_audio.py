"""The adapters on a real (virtual) sound stack: PulseAudio null sinks, see tests/audio_stack.py."""

import threading
import time

import numpy as np
import pytest

from voice_coach.audio import devices, tts
from voice_coach.audio.chimes import MAIN_FREQUENCY_HZ, ChimePlayer, chime_audio
from voice_coach.audio.microphone import SoundDeviceBackend, SoundDeviceMicrophone
from voice_coach.audio.speaker import SoundDeviceSpeaker
from voice_coach.audio.wavio import resample, write_wav
from voice_coach.config import SpeechSettings
from voice_coach.errors import AudioError

from tests.waiting import PATIENCE_S, wait_until

from .signals import audible_match, best_alignment, dominant_hz, loud_frames, without_silence

pytestmark = pytest.mark.audio

INSTRUCTION = ("Hold the ball under your heel and roll it slowly toward the toes, "
               "then back again, keeping a steady and comfortable pressure.")


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory):
    samples, rate = tts.synthesize("start heel routine. next.", SpeechSettings())
    x = resample(samples, rate, 16000)
    path = tmp_path_factory.mktemp("mic") / "commands.wav"
    write_wav(path, np.concatenate([np.zeros(3200, np.int16), x, np.zeros(3200, np.int16)]))
    return path, x


def hear_wav_through_mic(stack, wav_path, mic, reference) -> np.ndarray:
    """What ``mic`` heard while ``wav_path`` (holding ``reference``) played into the virtual mic.

    Reads until all of the reference's sound and half a second of quiet after it arrived: on a loaded
    machine the captured audio may lag the player by more than a second.
    """
    sound = len(loud_frames(reference, 16000))
    mic.start()
    try:
        assert mic.read(timeout=PATIENCE_S) is not None  # the stream runs before we feed it
        player = stack.play_into_mic(wav_path, wait=False)
        got, deadline = [], time.monotonic() + PATIENCE_S

        def all_heard() -> bool:
            if player.poll() is None or not got:
                return False
            heard = loud_frames(np.concatenate(got), 16000)
            return len(heard) >= 0.9 * sound and heard[-1] < sum(map(len, got)) // 160 - 50

        while not all_heard() and time.monotonic() < deadline:
            for _ in range(25):  # judge every half second of audio
                block = mic.read(timeout=0.1)
                if block is not None:
                    got.append(block)
    finally:
        mic.stop()
    return np.concatenate(got)


@pytest.mark.parametrize("capture_rate", [16000, 48000])
def test_microphone_hears_a_wav_played_into_the_virtual_mic(audio_stack, spoken_wav, capture_rate):
    path, reference = spoken_wav
    mic = SoundDeviceMicrophone(audio_stack.device, backend=SoundDeviceBackend(rates=(capture_rate,)))
    heard = hear_wav_through_mic(audio_stack, path, mic, reference)
    assert mic._fmt.samplerate == capture_rate
    lag, corr = best_alignment(reference, heard)
    assert corr > (0.99 if capture_rate == 16000 else 0.95), corr
    assert mic.overflows == 0


def test_missing_microphone_lists_the_real_inputs(audio_stack):
    with pytest.raises(AudioError) as info:
        SoundDeviceMicrophone("no-such-microphone").start()
    assert "pulse" in info.value.message and "--input-device" in info.value.fix
    assert devices.has_any_device()


def test_speaker_plays_in_order_and_stop_cuts_the_sentence(audio_stack, tmp_path):
    """Order and the cut; how fast stop() silences the sink is measured by scripts/bench_audio_edge.py."""
    events = []
    lock = threading.Lock()

    def note(*item):
        with lock:
            events.append((*item, time.monotonic()))

    spk = SoundDeviceSpeaker(SpeechSettings(rate_wpm=170), device=audio_stack.device,
                             on_started=lambda u: note("start", u), on_finished=lambda u, i: note("end", u, i))
    said = {text: without_silence(resample(*tts.synthesize(text, SpeechSettings(rate_wpm=170)), 16000))
            for text in ("One.", "Two.", INSTRUCTION)}
    before_instruction = len(said["One."]) + len(said["Two."])

    def sound_recorded(path):
        data = path.read_bytes()
        return len(without_silence(np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2")))

    spk.start()
    try:
        with audio_stack.record_speaker(tmp_path / "spk.raw") as rec:
            spk.say("One.", 1)
            spk.say("Two.", 2)
            spk.say(INSTRUCTION, 3)
            spk.say("This one is never heard.", 4)
            # well into the long instruction (about 8 s): a second of it has reached the sink
            wait_until(lambda: sound_recorded(rec.path) > before_instruction + 16000, interval=0.1,
                       what="the instruction's sound")
            assert spk.is_speaking
            stop_at = time.monotonic()
            spk.stop()
            wait_until(lambda: not spk.is_speaking, what="the speaker to fall silent")
    finally:
        spk.close()
    starts = [e[1] for e in events if e[0] == "start"]
    ends = {e[1]: (e[2], e[3]) for e in events if e[0] == "end"}
    assert starts == [1, 2, 3]
    assert ends[1][0] is False and ends[2][0] is False
    assert ends[3][0] is True and ends[4][0] is True
    assert ends[3][1] >= stop_at  # the worker reports the cut, after the stop
    spans = {s.utterance_id: s for s in spk.spans()}
    assert spans[1].end <= spans[2].start <= spans[2].end <= spans[3].start  # one after the other

    # What the speaker really emitted: "One.", "Two." and only the beginning of the instruction.
    heard_of_instruction = (len(without_silence(rec.samples())) - before_instruction) / 16000
    assert heard_of_instruction < len(said[INSTRUCTION]) / 16000 - 2.0, "stop() did not cut the sentence"


def test_the_sink_hears_the_synthesized_utterance(audio_stack, tmp_path):
    spk = SoundDeviceSpeaker(SpeechSettings(rate_wpm=200), device=audio_stack.device)
    spk.start()
    done = threading.Event()
    spk.on_finished = lambda u, i: done.set()
    try:
        with audio_stack.record_speaker(tmp_path / "one.raw") as rec:
            spk.say("Switch to the other foot now.", 9)
            assert done.wait(PATIENCE_S)
    finally:
        spk.close()
    samples, rate = tts.synthesize("Switch to the other foot now.", SpeechSettings(rate_wpm=200))
    # (the sound, not the timing: underruns of a loaded machine may put silence in between)
    assert audible_match(resample(samples, rate, 16000), rec.samples()) > 0.95


def test_chimes_are_distinct_short_and_faded():
    mains = [MAIN_FREQUENCY_HZ[k] for k in MAIN_FREQUENCY_HZ]
    assert len(set(mains)) == len(mains)
    spectra = {}
    for kind, main in MAIN_FREQUENCY_HZ.items():
        x = chime_audio(kind, volume=0.5)
        assert 0.2 < len(x) / 16000 < 1.0
        assert abs(int(x[0])) < 200 and abs(int(x[-1])) < 200  # fades: no click
        assert dominant_hz(x, 16000) == pytest.approx(main, rel=0.02)
        spec = np.abs(np.fft.rfft(x.astype(float), 16000))
        spectra[kind] = spec / np.linalg.norm(spec)
    kinds = list(spectra)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            assert float(np.dot(spectra[a], spectra[b])) < 0.8, (a, b)
    assert np.abs(chime_audio("start", 1.0)).max() > 1.8 * np.abs(chime_audio("start", 0.5)).max()
    with pytest.raises(ValueError):
        chime_audio("gong")


def test_chimes_play_on_the_virtual_sink_without_blocking(audio_stack, tmp_path):
    chimes = ChimePlayer(audio_stack.device, volume=0.6)
    chimes.start()
    try:
        with audio_stack.record_speaker(tmp_path / "chimes.raw") as rec:
            chimes.play("step_done")
            chimes.play("attention")
            queued_at = time.monotonic()
            wait_until(lambda: len(chimes.played) == 2, what="both chimes to play")
    finally:
        chimes.close()
    assert [k for k, *_ in chimes.played] == ["step_done", "attention"]
    assert queued_at < chimes.played[0][2]  # play() only queues: both returned before the first was heard
    # Both main notes were heard, in order.  Per 20 ms of sound: silence that underruns of a loaded
    # machine insert is left out, and the end of a clip may be cut when its stream closes.
    heard = without_silence(rec.samples())
    frames = heard[: len(heard) // 320 * 320].reshape(-1, 320)
    notes = np.array([dominant_hz(frame, 16000) for frame in frames])
    first, second = (np.flatnonzero(np.abs(notes - MAIN_FREQUENCY_HZ[kind]) < 60)
                     for kind in ("step_done", "attention"))
    assert len(first) >= 5 and len(second) >= 3, notes.round()
    assert first.max() < second.min(), notes.round()
    for kind, segment in (("step_done", heard[: second.min() * 320]), ("attention", heard[second.min() * 320:])):
        assert dominant_hz(segment, 16000) == pytest.approx(MAIN_FREQUENCY_HZ[kind], rel=0.02)


def test_a_failing_utterance_reports_an_error_and_the_worker_carries_on(audio_stack):
    import dataclasses

    errors, ends = [], []
    both = threading.Event()
    spk = SoundDeviceSpeaker(SpeechSettings(rate_wpm=300), device=audio_stack.device, on_error=errors.append,
                             on_finished=lambda u, i: (ends.append((u, i)), len(ends) == 2 and both.set()))
    spk.start()
    try:
        good = spk.settings
        spk.settings = dataclasses.replace(good, voice="xx-broken")  # synthesis now fails
        spk.say("this cannot be spoken", 1)
        wait_until(lambda: ends, what="the broken utterance to finish")
        spk.settings = good
        spk.say("ok", 2)
        assert both.wait(PATIENCE_S)
    finally:
        spk.close()
    assert ends == [(1, True), (2, False)]
    assert len(errors) == 1 and "xx-broken" in errors[0] and spk.last_error == errors[0]


def test_real_stream_loss_and_recovery_when_the_sound_server_dies(tmp_path):
    """PortAudio's own behaviour on device loss: a private server is killed, then started again."""
    import os

    from audio_stack import activated, start_audio_stack, stop_audio_stack

    first, reason = start_audio_stack(tmp_path / "first")
    if first is None:
        pytest.skip(f"PulseAudio could not start: {reason}")
    second = None
    log = []
    try:
        with activated(first):
            mic = SoundDeviceMicrophone("pulse", on_status=log.append, retry_s=0.3)
            mic.start()
            ends, errors = [], []
            spk = SoundDeviceSpeaker(SpeechSettings(rate_wpm=300), device="pulse", on_error=errors.append,
                                     on_finished=lambda u, i: ends.append((u, i)))
            spk.start()
            try:
                assert mic.read(timeout=PATIENCE_S) is not None
                stop_audio_stack(first)  # the "unplug"
                spk.say("Nobody hears this.", 1)
                def reading_until(condition):
                    mic.read(timeout=0.1)  # keeps answering (None or leftovers), never raises
                    return condition()

                wait_until(lambda: reading_until(lambda: log), what="the microphone loss")
                assert [s.kind for s in log] == ["lost"]
                # (before the server comes back: a slow speaker would simply speak on the new one)
                wait_until(lambda: ends, what="the unheard utterance to finish")
                second, reason = start_audio_stack(tmp_path / "second")
                assert second is not None, reason
                os.environ.update(second.env)  # the device is back (at a new address; activated() restores)
                wait_until(lambda: reading_until(lambda: len(log) >= 2), what="the recovery")
                assert [s.kind for s in log] == ["lost", "recovered"]
                assert mic.read(timeout=PATIENCE_S) is not None
                # The speaker failed politely while the server was gone and speaks again now.
                assert ends[:1] == [(1, True)] and len(errors) == 1 and "speaker" in errors[0]
                spk.say("Back again.", 2)
                wait_until(lambda: len(ends) >= 2, what="the second utterance to finish")
                assert ends[1] == (2, False) and len(errors) == 1
            finally:
                mic.stop()
                spk.close()
    finally:
        stop_audio_stack(first)
        if second is not None:
            stop_audio_stack(second)


def test_adjusted_rate_applies_to_the_next_utterance(audio_stack):
    done = threading.Semaphore(0)
    spk = SoundDeviceSpeaker(SpeechSettings(rate_wpm=120), device=audio_stack.device,
                             on_finished=lambda u, i: done.release())
    spk.start()
    try:
        text = "Breathe in and relax the foot."
        spk.say(text, 1)
        assert done.acquire(timeout=PATIENCE_S)
        first = spk.last_audio
        assert spk.adjust(rate_delta_wpm=120).rate_wpm == 240
        spk.say(text, 2)
        assert done.acquire(timeout=PATIENCE_S)
        second = spk.last_audio
    finally:
        spk.close()
    slow, fast = (len(a.samples) / a.rate for a in (first, second))
    assert (first.utterance_id, second.utterance_id) == (1, 2) and 1.5 < slow / fast < 2.5
    # and each was played to its end (a loaded machine may take longer; the sink's buffer ends it earlier)
    assert [s.end - s.start > length - 0.3 for s, length in zip(spk.spans(), (slow, fast))] == [True, True]
