"""Microphone: resampling to 16 kHz, a callback that only enqueues, device errors, loss and recovery."""

import threading
import time

import numpy as np
import pytest

from voice_coach.audio import devices
from voice_coach.audio.fake_mic import ArrayMicrophone, FlakyCaptureBackend
from voice_coach.audio.microphone import SoundDeviceMicrophone
from voice_coach.errors import AudioError

from tests.waiting import PATIENCE_S, wait_until

from .signals import dominant_hz


def collect(mic, samples: int) -> np.ndarray:
    """Read until at least ``samples`` samples arrived (however slowly a loaded machine delivers them)."""
    out = []
    deadline = time.monotonic() + PATIENCE_S
    while sum(map(len, out)) < samples:
        assert time.monotonic() < deadline, f"only {sum(map(len, out))} of {samples} samples arrived"
        block = mic.read(timeout=0.05)
        if block is not None:
            out.append(block)
    return np.concatenate(out)


def drain(mic) -> np.ndarray:
    """Everything already queued (blocks that arrived before the stream ended)."""
    out = []
    while (block := mic.read(timeout=0)) is not None:
        out.append(block)
    return np.concatenate(out) if out else np.zeros(0, np.int16)


@pytest.mark.parametrize("rate,channels", [(44100, 1), (48000, 2), (16000, 1)])
def test_device_rate_is_resampled_to_16k(rate, channels):
    backend = FlakyCaptureBackend(rate=rate, channels=channels)
    mic = SoundDeviceMicrophone(backend=backend)
    mic.start()
    try:
        got = collect(mic, 8000)
    finally:
        mic.stop()
    wait_until(lambda: not backend.streaming, what="the fake device to stop calling back")
    got = np.concatenate([got, drain(mic)])
    assert got.dtype == np.int16 and got.ndim == 1
    # Every device frame that reached the queue comes out at 16 kHz, whatever the device rate.
    kept = backend.frames_sent - mic.overflows * (rate * backend.block_ms // 1000)
    assert abs(len(got) - kept * 16000 / rate) <= 1
    assert dominant_hz(got[200:], 16000) == pytest.approx(440, abs=5)


def test_callback_only_enqueues_and_counts_overflows():
    backend = FlakyCaptureBackend(rate=48000, channels=2, block_ms=5)
    mic = SoundDeviceMicrophone(backend=backend, queue_blocks=4)
    mic.start()
    try:
        wait_until(lambda: mic.overflows >= 10, what="10 overflows")  # nobody reads: 4 blocks fit
        assert mic._queue.full()
        # What waits in the queue is the device's raw block (rate, channels untouched): the
        # conversion work happens in read(), on the reader's thread, never in the audio callback.
        rate, raw = mic._queue.queue[0]
        assert rate == 48000 and raw.shape == (240, 2)
        assert mic.read(timeout=PATIENCE_S) is not None
    finally:
        mic.stop()


def test_missing_device_at_start_is_one_clear_error():
    backend = FlakyCaptureBackend()
    backend.unplug()
    with pytest.raises(AudioError):
        SoundDeviceMicrophone("USB", backend=backend).start()


def test_device_error_message_lists_inputs_and_how_to_pick():
    mics = [devices.DeviceInfo(3, "USB PnP Sound Device", "ALSA", 1, 0, 48000.0),
            devices.DeviceInfo(5, "pulse", "ALSA", 32, 32, 44100.0, True, True)]
    with pytest.raises(AudioError) as info:
        devices.require_device("Blue Yeti", "input", mics)
    err = info.value
    assert '"Blue Yeti"' in err.message
    assert "[3] USB PnP Sound Device" in err.message and "[5] pulse" in err.message
    assert "--input-device" in err.fix and "audio.input_device" in err.fix
    assert devices.require_device("usb pnp", "input", mics).index == 3
    assert devices.require_device("5", "input", mics).name == "pulse"
    assert devices.require_device("", "input", mics).name == "pulse"  # the default input


def test_no_sound_device_at_all_suggests_text_or_demo():
    with pytest.raises(AudioError) as info:
        devices.require_device("", "output", [])
    assert "--text" in info.value.fix and "demo" in info.value.fix


class StatusLog:
    def __init__(self):
        self.items, self.changed = [], threading.Condition()

    def __call__(self, status):
        with self.changed:
            self.items.append(status)
            self.changed.notify_all()

    def wait_for(self, n, timeout=PATIENCE_S):
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.items) >= n, timeout), [s.kind for s in self.items]


@pytest.mark.parametrize("failure", ["error", "silent_end", "stall"])
def test_unplug_reports_retries_and_resumes_without_raising(failure):
    backend = FlakyCaptureBackend(rate=44100, report_finished=failure == "error")
    log = StatusLog()
    mic = SoundDeviceMicrophone("Fake", backend=backend, on_status=log, retry_s=0.2,
                                watchdog_s=2.0)  # a starved callback thread must not look like a stall
    mic.start()
    try:
        assert len(collect(mic, 1)) > 0
        if failure == "stall":
            backend.silent_stall = True  # the driver just stops calling back
        backend.unplug()
        log.wait_for(1)
        assert log.items[0].kind == "lost" and "keep trying" in log.items[0].message
        drain(mic)  # blocks that arrived before the loss
        refreshes_before, since = backend.refreshes, time.monotonic()
        heard = []

        def retried_three_times():
            block = mic.read(timeout=0.05)  # keeps answering None, never raises
            if block is not None:
                heard.append(block)
            return backend.refreshes - refreshes_before >= 3

        wait_until(retried_three_times, what="three retries")
        assert heard == []
        # Retried again and again while the device was gone, never faster than every retry_s (0.2 s).
        assert backend.refreshes - refreshes_before <= (time.monotonic() - since) / 0.2 + 2
        backend.replug()
        log.wait_for(2)
        assert [s.kind for s in log.items] == ["lost", "recovered"]
        got = collect(mic, 6400)
        assert dominant_hz(got[200:], 16000) == pytest.approx(440, abs=5)
        assert mic.connected
    finally:
        mic.stop()


def test_a_broken_status_listener_does_not_stop_recovery():
    backend = FlakyCaptureBackend()
    calls = []

    def explode(status):
        calls.append(status.kind)
        raise RuntimeError("listener bug")

    mic = SoundDeviceMicrophone(backend=backend, on_status=explode, retry_s=0.1)
    mic.start()
    try:
        backend.unplug()
        wait_until(lambda: calls == ["lost"], what="the loss to be reported")
        backend.replug()
        wait_until(lambda: calls == ["lost", "recovered"], what="the recovery to be reported")
        assert mic.connected and len(collect(mic, 1)) > 0
    finally:
        mic.stop()


def test_retry_default_is_every_second():
    assert SoundDeviceMicrophone(backend=FlakyCaptureBackend()).retry_s == 1.0


def test_array_microphone_fast_and_realtime():
    x = (np.arange(16000) % 100).astype(np.int16)
    fast = ArrayMicrophone(x)
    fast.start()
    blocks = []
    while (b := fast.read(0)) is not None:
        blocks.append(b)
    assert np.array_equal(np.concatenate(blocks), x)

    live = ArrayMicrophone(x[:1600], realtime=True, speed=2.0)
    live.start()
    t0 = time.monotonic()
    got = np.concatenate([live.read(1.0) for _ in range(20)])  # 0.4 s of audio at double speed
    assert 0.18 <= time.monotonic() - t0 < PATIENCE_S  # paced like real audio, never faster
    assert np.array_equal(got[:1600], x[:1600]) and not got[1600:].any()  # then a quiet room


def test_wav_microphone_hears_the_file_at_16k(tmp_path):
    from voice_coach.audio.fake_mic import wav_microphone
    from voice_coach.audio.wavio import write_wav

    t = np.arange(44100) / 44100
    stereo = np.stack([8000 * np.sin(2 * np.pi * 600 * t)] * 2, axis=1).astype(np.int16)
    write_wav(tmp_path / "a.wav", stereo, 44100)
    mic = wav_microphone(tmp_path / "a.wav")
    mic.start()
    blocks = []
    while (block := mic.read(0)) is not None:
        blocks.append(block)
    got = np.concatenate(blocks)
    assert len(got) == 16000
    assert dominant_hz(got, 16000) == pytest.approx(600, abs=3)
    with pytest.raises(AudioError):
        wav_microphone(tmp_path / "missing.wav")


def test_stream_moved_to_a_speaker_monitor_counts_as_lost_until_back_on_a_microphone():
    # PulseAudio/PipeWire do not fail a stream whose source vanished: they move it, often onto a
    # speaker's monitor, and blocks keep coming.  The sound server's word decides.
    backend = FlakyCaptureBackend()
    log = StatusLog()
    mic = SoundDeviceMicrophone(backend=backend, on_status=log, retry_s=0.1, watchdog_s=5.0)
    mic.route_check_s = 0.1
    mic.start()
    try:
        assert len(collect(mic, 0.2)) > 0
        backend.on_monitor = True
        log.wait_for(1, timeout=30)
        assert log.items[0].kind == "lost"
        opens = backend.opens
        time.sleep(0.5)
        assert backend.opens > opens and len(log.items) == 1  # reopened, but still on the monitor: still lost
        backend.on_monitor = False
        log.wait_for(2, timeout=30)
        assert [s.kind for s in log.items] == ["lost", "recovered"] and mic.connected
    finally:
        mic.stop()


def test_a_microphone_opened_on_a_monitor_on_purpose_is_not_lost():
    backend = FlakyCaptureBackend()
    backend.on_monitor = True  # e.g. recording a loopback: the user chose it
    log = StatusLog()
    mic = SoundDeviceMicrophone(backend=backend, on_status=log, retry_s=0.1)
    mic.route_check_s = 0.05
    mic.start()
    try:
        assert len(collect(mic, 0.5)) > 0 and log.items == []
    finally:
        mic.stop()
