"""THE REAL AUDIO TEST: `voice-coach run` on a private PulseAudio server.

Spoken commands (synthesized WAVs) are played into the virtual microphone at
the moments a person would say them; the coach's output is recorded from the
virtual speaker's monitor and checked by signal: it spoke after each command,
the barge-in "stop" cut its sentence short, and the foot-switch chime came
three seconds (the routine's timer) after "Left foot, three seconds, begin."
"""

from __future__ import annotations

import dataclasses
import re
import time
import warnings

import numpy as np
import pytest

from voice_coach.audio.chimes import chime_audio
from voice_coach.audio.wavio import write_wav
from voice_coach.live.demo.timeline import speech_16k
from voice_coach.config import SpeechSettings

from tests.live.cli_helpers import _SPEECH, QUICK_ROUTINES, CoachProcess
from tests.waiting import PATIENCE_S, wait_until

pytestmark = [pytest.mark.audio, pytest.mark.slow]

USER = SpeechSettings(voice="en-us+m3", rate_wpm=150)
RATE = 16000
FRAME = 320  # 20 ms


def _envelope(x: np.ndarray) -> np.ndarray:
    n = len(x) // FRAME * FRAME
    return np.sqrt((x[:n].reshape(-1, FRAME).astype(np.float64) ** 2).mean(axis=1))


def _chime_at(x: np.ndarray, kind: str) -> float:
    """Time (s) where the recording best matches the chime (normalized cross-correlation)."""
    tpl = chime_audio(kind, 0.5, RATE).astype(np.float64)
    sig = x.astype(np.float64)
    corr = np.correlate(sig, tpl, mode="valid")
    energy = np.sqrt(np.convolve(sig ** 2, np.ones(len(tpl)), mode="valid")) + 1e-9
    score = corr / (energy * np.linalg.norm(tpl))
    return float(np.argmax(score)) / RATE, float(score.max())


def _loud_runs(env: np.ndarray, gap_s: float = 0.3) -> list[tuple[float, float]]:
    """(start, end) seconds of each loud stretch, stretches closer than ``gap_s`` merged."""
    loud = np.flatnonzero(env > 300)
    runs: list[list[float]] = []
    for i in loud:
        t = i * FRAME / RATE
        if runs and t - runs[-1][1] <= gap_s:
            runs[-1][1] = t + FRAME / RATE
        else:
            runs.append([t, t + FRAME / RATE])
    return [(a, b) for a, b in runs]


def test_run_speaks_chimes_and_obeys_spoken_commands(audio_stack, tmp_path):
    """The whole scenario runs once more if the first run fails.

    What this test proves is the audio path (virtual mic → recognizer → engine → speaker, barge-in
    timing, chime timing).  Synthetic commands into PocketSphinx are occasionally misheard several
    times in a row (recognition accuracy is measured by scripts/eval_recognition.py, not here), so
    one retry keeps a recognizer miss from deciding the test; a broken audio path fails both runs.
    """
    try:
        _scenario(audio_stack, tmp_path / "run1")
    except AssertionError as first:
        warnings.warn(f"real audio scenario failed once, retrying: {str(first)[:300]}")
        _scenario(audio_stack, tmp_path / "run2")


def _scenario(audio_stack, tmp_path):
    tmp_path.mkdir()
    wavs = {}
    for words in ("stop", "repeat", "resume", "continue", "pain four", "pain level four", "next", "next step", "done",
                  "pain two", "pain level two"):
        audio = np.concatenate([np.zeros(RATE // 5, np.int16), speech_16k(words, USER), np.zeros(RATE // 5, np.int16)])
        wavs[words] = tmp_path / f"{words.replace(' ', '_')}.wav"
        write_wav(wavs[words], audio, RATE)

    # A real microphone always hears some room noise; the virtual one is digitally silent between
    # commands, which no real microphone is.  A quiet noise floor (about -60 dBFS) plays all along.
    room = tmp_path / "room.wav"
    write_wav(room, np.random.default_rng(3).normal(0, 30, 120 * RATE).astype(np.int16), RATE)

    env = {**audio_stack._child_env(), "VOICE_COACH_CONFIG_DIR": str(tmp_path / "config"),
           "VOICE_COACH_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    mic_stack = dataclasses.replace(audio_stack, speaker_sink=audio_stack.mic_sink)
    with audio_stack.record_speaker(tmp_path / "speaker.raw") as spk_rec, \
            mic_stack.record_speaker(tmp_path / "mic.raw") as mic_rec:
        room_noise = audio_stack.play_into_mic(room, wait=False)
        coach = CoachProcess(["run", "quick-test", "--engine", "sphinx", "--routines", str(QUICK_ROUTINES),
                              "--no-journal", "-v", "--rate", "260"], env)
        played: list[str] = []

        def say(phrasings: tuple[str, ...], expect: str, tries: int = 4, timeout: float = 8.0) -> None:
            """Say it into the mic until the coach answers with ``expect``.

            A person who is not understood says it again, in other words; the test is about the
            audio path, so a miss by the recognizer must not decide it.
            """
            for attempt in range(tries):
                words = phrasings[attempt % len(phrasings)]
                played.append(words)
                audio_stack.play_into_mic(wavs[words])
                try:
                    coach.wait_for(expect, timeout=timeout, kill=attempt == tries - 1)
                    return
                except AssertionError:
                    if attempt == tries - 1:
                        raise

        def speaking_at(t: float) -> int | None:
            """The utterance the coach was playing at monotonic time ``t`` (from its -v log)."""
            active = set()
            for when, line in coach.log:
                if when > t:
                    break
                if m := _SPEECH.search(line):
                    (active.add if m.group(2) == "started" else active.discard)(m.group(1))
            return int(max(active, key=int)) if active else None

        def barge_in(tries: int = 6) -> tuple[float, int]:
            """Say "stop" half a second into a coach sentence until it is obeyed *while* speaking.

            A "stop" the recognizer missed is said again into the next sentence; one obeyed after
            the sentence had ended proves nothing about barge-in, so "resume" makes the coach speak
            again and the test tries once more.  (Soon into the sentence: on a loaded machine the
            recognizer decides later, and a stop decided after the sentence proves nothing.)
            """
            for attempt in range(tries):
                starts = sum("started" in l for _, l in coach.log)
                nudge, deadline = time.monotonic() + 6, time.monotonic() + PATIENCE_S
                while sum("started" in l for _, l in coach.log) <= starts - (attempt == 0):
                    assert time.monotonic() < deadline, "the coach did not start a sentence"
                    if time.monotonic() > nudge:  # it went quiet waiting for an answer: ask it to repeat
                        played.append("repeat")
                        audio_stack.play_into_mic(wavs["repeat"])
                        nudge = time.monotonic() + 6
                    time.sleep(0.02)
                time.sleep(0.5)
                played.append("stop")
                audio_stack.play_into_mic(wavs["stop"])
                try:
                    coach.wait_for("Say resume to go on", timeout=8.0, kill=False)
                except AssertionError:
                    continue  # missed: try again in the next sentence
                # (stderr is read by another thread than stdout: its line may come a little later)
                heard_at = wait_until(lambda: [t for t, l in coach.log if "heard 'stop'" in l],
                                      what="the log line of the stop")[-1]
                uid = speaking_at(heard_at)
                if uid is not None:
                    return heard_at, uid
                coach.wait_until_silent()
                say(("resume", "continue"), "how is the pain")
            raise AssertionError("no 'stop' was obeyed while the coach was speaking")

        try:
            coach.wait_for("Say stop at any time")
            heard_at, cut_uid = barge_in()
            coach.wait_until_silent()  # answers wait until the coach has finished asking
            say(("resume", "continue"), "how is the pain")
            coach.wait_until_silent()
            say(("pain four", "pain level four"), "Left foot, three seconds, begin")
            coach.wait_for("Say next when you are done")
            coach.wait_until_silent()
            say(("next", "done", "next step"), "how is the pain", tries=6)
            coach.wait_until_silent()
            say(("pain two", "pain level two"), "routine is complete")
            rc, err = coach.finish()
        finally:
            if coach.proc.poll() is None:
                coach.proc.kill()
            room_noise.kill()
            room_noise.wait()
    assert rc == 0, err
    assert "Traceback" not in err, err

    speaker = spk_rec.samples()
    mic = mic_rec.samples()
    spk_env, mic_env = _envelope(speaker), _envelope(mic)
    # (an absolute amount: on a loaded machine the waits, and so the silences, grow)
    assert (spk_env > 300).sum() * FRAME / RATE > 10, "the coach was hardly audible on the speaker"

    # One loud stretch per command played, in order (the noise floor stays far below; stretches
    # closer than a second are one: paplay on a loaded machine leaves gaps inside a command).
    runs = _loud_runs(mic_env, gap_s=1.0)
    assert len(runs) == len(played), (runs, played)
    # barge-in: the sentence the "stop" was heard in ended after that, cut off, before the answer
    # began (how fast: the 200 ms budget is measured by scripts/bench_audio_edge.py)
    ended_at = next(t for t, l in coach.log if t >= heard_at and f"speech {cut_uid} ended" in l)
    answer_at = next(t for t, l in coach.log if t >= heard_at and re.search(r"speech \d+ started", l))
    assert heard_at <= ended_at <= answer_at
    assert ended_at - heard_at < 2.0, f"the coach kept talking {ended_at - heard_at:.2f} s after 'stop'"

    # The switch chime comes three seconds (the timer) after "Left foot, three seconds, begin."
    # ended: the silence before the sound around the chime (it and "Switch to the right foot" start
    # together, in either order) lasts the timer, give or take what a loaded machine adds.
    chime_t, score = _chime_at(speaker, "switch")
    assert score > 0.5, score
    sounds = _loud_runs(spk_env)
    with_chime = next(i for i, (a, b) in enumerate(sounds) if a <= chime_t + 0.05 <= b)
    assert with_chime > 0, "no speech before the chime"
    silence = sounds[with_chime][0] - sounds[with_chime - 1][1]
    assert 2.8 <= silence <= 5.0, (chime_t, sounds[with_chime - 1:with_chime + 1])
    # the session went through every step, driven only by what the microphone heard
    heard_lines = [l for _, l in coach.seen if l.startswith("[heard]")]
    assert len(heard_lines) >= 5, heard_lines
