"""The evaluation's synthesis cache is shared by parallel workers: an entry is whole or absent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from voice_coach.evaluation.synth import Voice, available, synthesize

pytestmark = pytest.mark.skipif(not available("espeak"), reason="espeak-ng and sox are needed")


def test_workers_sharing_the_cache_all_hear_the_whole_utterance(tmp_path):
    voice = Voice("espeak", "en-us", 160, 50)
    whole = synthesize("switch foot please", voice)
    with ThreadPoolExecutor(6) as pool:
        heard = list(pool.map(lambda _: synthesize("switch foot please", voice, tmp_path), range(24)))
    assert all(np.array_equal(h, whole) for h in heard)
    assert [p.suffix for p in tmp_path.iterdir()] == [".wav"]  # one entry, no copy left half-way
