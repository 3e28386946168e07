"""Microphone knocked out mid-session: the real supervised microphone over a failing fake device."""

from __future__ import annotations

import threading
import time

import numpy as np

from voice_coach.audio.fake_mic import FlakyCaptureBackend
from voice_coach.audio.fake_speaker import RecordingSpeaker
from voice_coach.audio.microphone import SoundDeviceMicrophone
from voice_coach.live.assembly import MicWatch
from voice_coach.live.clock import MonotonicClock
from voice_coach.live.inbox import InputClosed
from voice_coach.live.listener import CommandListener
from voice_coach.live.loop import MIC_BACK_NOTICE, MIC_LOST_NOTICE, LiveLoop
from voice_coach.live.speaker_link import SpeakerLink
from voice_coach.session.messages import Tick

from tests.live.fakes import CueEngine
from tests.waiting import wait_until


class CountingRecognizer:
    """Hears nothing; remembers when audio reached it and when it was reset."""

    name = "counting"

    def __init__(self) -> None:
        self.blocks: list[tuple[float, int]] = []
        self.resets: list[float] = []

    def accept(self, samples: np.ndarray):
        assert samples.dtype == np.int16
        self.blocks.append((time.monotonic(), len(samples)))
        return []

    def flush(self):
        return []

    def reset(self) -> None:
        self.resets.append(time.monotonic())


def test_mic_loss_and_recovery_leave_timers_alone():
    clock = MonotonicClock()
    engine = CueEngine(cues=[(2.0, "Halfway."), (4.0, "Time is up.")])
    loop = LiveLoop(engine, None, clock)
    link = SpeakerLink(loop.post, clock.now)
    speaker = RecordingSpeaker(on_started=link.on_started, on_finished=link.on_finished)
    loop.speaker = link.attach(speaker)
    backend = FlakyCaptureBackend(rate=48000)  # a USB mic that only offers 48 kHz: resampled to 16 kHz
    recognizer = CountingRecognizer()
    watch = MicWatch(loop.post)
    mic = SoundDeviceMicrophone("", on_status=watch, backend=backend, retry_s=1.0)
    listener = CommandListener(mic, recognizer, loop.post, clock.now)
    watch.listener = listener

    t0 = clock.now()
    mic.start()
    listener.start()
    moments, failures = {}, []

    def has_said(text):
        return any(r.text == text for r in speaker.said)

    def script():
        try:
            steps()
        except AssertionError as failure:
            failures.append(failure)
        finally:
            loop.post(InputClosed("test over"))

    def steps():
        # Each step waits for what it needs, not for a time: a loaded machine only makes it slower.
        wait_until(lambda: recognizer.blocks, what="audio to reach the recognizer")
        moments["unplugged"] = clock.now() - t0
        backend.unplug()
        wait_until(lambda: has_said(MIC_LOST_NOTICE) and has_said("Halfway."),
                   what="the loss notice and a cue while lost")
        moments["replugged"] = clock.now() - t0
        backend.replug()
        wait_until(lambda: has_said(MIC_BACK_NOTICE) and has_said("Time is up."),
                   what="the recovery notice and the last cue")
        back_at = next(r.at for r in speaker.said if r.text == MIC_BACK_NOTICE)
        wait_until(lambda: sum(n for t, n in recognizer.blocks if t > back_at) > 0.3 * 16000,
                   what="audio after the recovery")

    threading.Thread(target=script, daemon=True).start()
    loop.run()
    listener.stop()
    mic.stop()
    assert not failures, failures[0]

    said = [(r.at - t0, r.text) for r in speaker.said]
    texts = [t for _, t in said]
    assert texts.count(MIC_LOST_NOTICE) == 1 and texts.count(MIC_BACK_NOTICE) == 1
    assert texts.index(MIC_LOST_NOTICE) < texts.index(MIC_BACK_NOTICE)
    lost_at = next(t for t, x in said if x == MIC_LOST_NOTICE)
    back_at = next(t for t, x in said if x == MIC_BACK_NOTICE)
    assert moments["unplugged"] < lost_at
    assert moments["replugged"] < back_at  # the first retry after the replug (retries every second)
    # the timer cues kept their times through the outage: one tick per deadline, never early, and the
    # "Halfway." cue fell inside the outage (how late a loaded machine lets a cue be: bench_cue_timing.py)
    halfway_at = next(t for t, x in said if x == "Halfway.")
    assert moments["unplugged"] < halfway_at < moments["replugged"]
    for cue, due in (("Halfway.", 2.0), ("Time is up.", 4.0)):
        assert next(t for t, x in said if x == cue) >= due, cue
    ticks = [t - t0 for t, e in engine.received if isinstance(e, Tick)]
    assert len(ticks) == 2 and ticks[0] >= 2.0 and ticks[1] >= 4.0
    # listening resumed: 16 kHz audio reached the recognizer again after the replug, after a reset
    assert recognizer.resets and recognizer.resets[0] - t0 > moments["replugged"]
    assert sum(n for t, n in recognizer.blocks if t - t0 > back_at) > 0.3 * 16000
    # resampled from 48 kHz to 16 kHz: a 20 ms device block (960 frames) reaches the recognizer as 320
    # samples, and never more than a third of the frames the device sent
    sizes = sorted(n for _, n in recognizer.blocks)
    assert sizes[len(sizes) // 2] == 320 and sum(sizes) <= backend.frames_sent / 3 + 1
