"""The speech-embedding front end runs on the caller's thread, and still computes the same embeddings."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from voice_coach.recognition.neural.features import EmbeddingStream
from voice_coach.recognition.neural.frontend_threads import run_on_one_thread

pyopen_wakeword = pytest.importorskip("pyopen_wakeword")

_COUNT_THREADS = """
import numpy as np
from voice_coach.recognition.neural.features import EmbeddingStream

def threads():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("Threads:"))

before = threads()
stream = EmbeddingStream()
stream.accept((np.random.default_rng(1).standard_normal(16000) * 3000).astype(np.int16))
print(before, threads())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_the_embedding_stream_starts_no_threads_of_its_own():
    done = subprocess.run([sys.executable, "-c", _COUNT_THREADS], capture_output=True, text=True, check=True,
                          timeout=300)
    before, after = (int(x) for x in done.stdout.split())
    assert after == before  # TFLite's default options start a pool of worker threads


def _embeddings(frontend, audio: np.ndarray) -> np.ndarray:
    stream = EmbeddingStream(frontend=frontend)
    stream.accept(audio)
    return np.stack(stream.vectors)


def test_one_thread_gives_the_embeddings_of_the_library_default():
    from pyopen_wakeword import OpenWakeWordFeatures

    audio = (np.random.default_rng(2).standard_normal(16000 * 3) * 3000).astype(np.int16)
    library = OpenWakeWordFeatures.from_builtin()
    ours = OpenWakeWordFeatures.from_builtin()
    assert run_on_one_thread(ours)
    expected, got = _embeddings(library, audio), _embeddings(ours, audio)
    assert got.shape == expected.shape and got.shape[0] > 0
    assert np.abs(got - expected).max() < 1e-3  # float sums in another order, nothing more


class _OtherLayout:
    """A front end laid out unlike pyopen-wakeword 1.x (as a later release might be)."""

    def __init__(self):
        self.interpreter = object()


def test_a_front_end_laid_out_otherwise_is_left_as_it_was():
    frontend = _OtherLayout()
    kept = frontend.interpreter
    assert run_on_one_thread(frontend) is False
    assert frontend.interpreter is kept
