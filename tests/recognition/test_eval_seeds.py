"""The evaluation's noise is the same in every run: its seeds do not depend on the process."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from voice_coach.evaluation import corpus
from voice_coach.evaluation.corpus import Condition

_PRINT_SEED = "from voice_coach.evaluation.corpus import stable_seed; print(stable_seed('held-out', 'flite:awb', 'white@10dB'))"


def _seed_in_a_new_process(hash_seed: str) -> int:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", _PRINT_SEED], env=env, capture_output=True, text=True, check=True,
                          timeout=120)
    return int(done.stdout)


def test_a_stream_seed_is_the_same_whatever_the_process_hash_seed():
    # Python salts str hashes per process; two such processes would mix different noise
    assert _seed_in_a_new_process("1") == _seed_in_a_new_process("2") == corpus.stable_seed(
        "held-out", "flite:awb", "white@10dB")


def test_the_same_seed_mixes_the_same_noise_and_another_seed_other_noise():
    seed = corpus.stable_seed("held-out", "flite:awb", "white@10dB")
    first = corpus.noise(Condition("white", 10), 4000, "held-out", seed, None)
    again = corpus.noise(Condition("white", 10), 4000, "held-out", seed, None)
    other = corpus.noise(Condition("white", 10), 4000, "held-out", corpus.stable_seed("held-out", "flite:rms",
                                                                                        "white@10dB"), None)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
