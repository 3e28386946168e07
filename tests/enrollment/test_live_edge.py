"""The guided enrollment's edge: a take from a (fake) microphone ends soon after the word."""

import io
import threading

import numpy as np

from voice_coach.audio.fake_mic import ArrayMicrophone
from voice_coach.enrollment.live import MicTakeRecorder, ScreenGuide, SpeakingGuide
from voice_coach.enrollment.takes import TakeJudge, loud_level_dbfs


def test_a_take_runs_from_the_call_to_just_after_the_word(say):
    mic = ArrayMicrophone(realtime=True)
    mic.start()
    word = say("pain five")
    timer = threading.Timer(0.3, lambda: mic.feed(word))  # said a moment after the prompt
    timer.start()
    try:
        take = MicTakeRecorder(mic, max_s=12.0).record()
    finally:
        timer.cancel()
        mic.stop()
    seconds = take.size / 16000
    assert seconds < 12.0, "the take should end after the word, not at the time limit"
    assert seconds > word.size / 16000
    assert loud_level_dbfs(take) > -35
    verdict = TakeJudge(None).judge(take, "pain:level=5")
    assert verdict.take is not None, verdict.problem


def test_a_silent_microphone_gives_up_at_the_limit():
    mic = ArrayMicrophone(realtime=True, speed=8.0)
    mic.start()
    take = MicTakeRecorder(mic, max_s=1.0).record()
    mic.stop()
    assert take.size >= 16000 and not take.any()
    assert "heard nothing" in TakeJudge(None).judge(take, "next").problem


def test_guides_show_and_speak():
    out, spoken = io.StringIO(), []
    SpeakingGuide(spoken.append, out).say("Say: next")
    ScreenGuide(out).show("[1/25] 'stop', take 1 of 3")
    assert spoken == ["Say: next"]
    assert out.getvalue().splitlines() == ["Say: next", "[1/25] 'stop', take 1 of 3"]


def test_audio_queued_while_the_prompt_was_spoken_is_not_part_of_the_take():
    mic = ArrayMicrophone(realtime=False)  # everything fed is already waiting in the queue
    mic.start()
    mic.feed(np.full(16000, 3000, np.int16))
    take = MicTakeRecorder(mic, max_s=0.5).record()
    mic.stop()
    assert take.size == 0
