import dataclasses

import numpy as np
import pytest

from voice_coach.evaluation.corpus import normalized
from voice_coach.evaluation.synth import Voice, available, synthesize

VOICE = Voice("espeak", "en-us+m3", 160, 50)


@pytest.fixture(scope="session")
def say(tmp_path_factory):
    """say(text, tempo=1.0, gain_db=0.0) -> int16 speech of one espeak-ng voice at a normal level."""
    if not available("espeak"):
        pytest.skip("espeak-ng and sox are needed to synthesize test speech")
    cache = tmp_path_factory.mktemp("speech")

    def speak(text: str, tempo: float = 1.0, gain_db: float = 0.0) -> np.ndarray:
        x = normalized(synthesize(text, dataclasses.replace(VOICE, tempo=tempo), cache)) * 10 ** (gain_db / 20)
        return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)

    return speak
