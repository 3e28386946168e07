"""``voice-coach demo --out``: synthesized commands through the real recognizer into one WAV."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from voice_coach.audio.chimes import MAIN_FREQUENCY_HZ, chime_audio
from voice_coach.audio.wavio import read_wav
from voice_coach.session.wording import duration_words

from tests.live.cli_helpers import ROOT, no_sound_env

SPEED = 2


def _at(line: str) -> float:
    m = re.match(r"\[(\d\d):(\d\d\.\d)\]", line)
    return int(m.group(1)) * 60 + float(m.group(2))


def _tone_share(clip: np.ndarray, freq: float) -> float:
    """Share of the clip's energy within ±25 Hz of ``freq``."""
    power = np.abs(np.fft.rfft(clip.astype(np.float64) * np.hanning(len(clip)))) ** 2
    freqs = np.fft.rfftfreq(len(clip), 1 / 16000)
    band = (freqs > freq - 25) & (freqs < freq + 25)
    return float(power[band].sum() / max(1e-9, power.sum()))


def test_demo_writes_a_wav_with_speech_chimes_and_a_barge_in(tmp_path):
    out = tmp_path / "demo.wav"
    done = subprocess.run([sys.executable, "-m", "voice_coach", "demo", "--out", str(out), "--speed", str(SPEED),
                           "--engine", "sphinx"], cwd=ROOT, env=no_sound_env(), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "routine completed" in lines[-1]
    heard = [l.split("heard:", 1)[1].strip() for l in lines if "heard:" in l]
    assert "start heel routine" in heard and "stop" in heard and "resume" in heard
    stop_heard = next(i for i, l in enumerate(lines) if l.endswith("heard: stop"))
    assert "(cut off)" in lines[stop_heard + 1]  # barge-in silenced the coach at once

    audio = read_wav(out)
    assert len(audio) / 16000 > 60
    frames = audio[: len(audio) // 1600 * 1600].reshape(-1, 1600).astype(np.float64)
    active = np.sqrt((frames ** 2).mean(axis=1)) > 300
    assert active.mean() > 0.4  # mostly speech: the coach talks a lot
    # each chime in the transcript is in the WAV at its time, with its own main note
    chimes = [(_at(l), l.split("chime:", 1)[1].strip()) for l in lines if "chime:" in l]
    assert len(chimes) >= 3
    for at, kind in chimes:
        clip = audio[int(at * 16000): int(at * 16000) + len(chime_audio(kind))]
        assert _tone_share(clip, MAIN_FREQUENCY_HZ[kind]) > 0.2, (at, kind)


def _demo_lines(speed: float) -> tuple[list[str], object]:
    import io

    from voice_coach.config import Settings
    from voice_coach.live.demo.runner import run_demo
    from voice_coach.recognition.factory import make_recognizer
    from voice_coach.routines.loader import load_library

    library = load_library(include_user_dir=False)
    out = io.StringIO()
    demo = run_demo(Settings(), library, make_recognizer(Settings(), library.all(), "sphinx"), speed=speed, out=out)
    return out.getvalue().splitlines(), demo


@pytest.mark.parametrize("speed", (1, 5, 20))
def test_the_demo_completes_on_one_clock_at_every_speed(speed):
    from voice_coach.live.demo.routine import seconds_per_foot

    lines, demo = _demo_lines(speed)
    assert demo.completed, "\n".join(lines)
    assert not any("ignored" in line for line in lines)
    per_foot = seconds_per_foot(speed)
    said = [(_at(l), l.split("coach:", 1)[1].strip()) for l in lines if "coach:" in l]
    chimes = [(_at(l), l.split("chime:", 1)[1].strip()) for l in lines if "chime:" in l]
    assert [k for _, k in chimes] == ["switch", "step_done", "switch", "finish"]
    previous = 0.0
    for at, kind in chimes:
        # each chime ends a timer that started when its "…, begin." was said, after the previous chime
        begins = [t for t, text in said if text.endswith("begin.") and previous <= t <= at]
        assert begins, (kind, at, "\n".join(lines))
        assert at >= begins[-1] + per_foot, (kind, at, begins[-1])
        previous = at
    # every spoken time is the shortened one, so it is true on this clock
    go_cues = [text for _, text in said if text.endswith("begin.")]
    assert go_cues and all(duration_words(per_foot) in text for text in go_cues), go_cues
