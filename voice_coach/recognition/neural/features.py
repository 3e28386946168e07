"""Speech embeddings on the stream, via pyopen-wakeword (openWakeWord's melspectrogram and
Google's speech-embedding TFLite models with their own TFLite runtime).

One 96-value embedding per 80 ms chunk, each covering the last ~775 ms of
audio.  Embeddings shift with the 80 ms framing phase, so training and run time
both stream from the start in the same 1280-sample chunks.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from voice_coach.errors import RecognizerError
from voice_coach.recognition.neural.frontend_threads import run_on_one_thread

CHUNK_SAMPLES = 1280  # 80 ms at 16 kHz: pyopen-wakeword's step
CHUNK_S = CHUNK_SAMPLES / 16000
EMBEDDING_SIZE = 96
PRIMING_CHUNKS = 13  # ~1 s: the mel and embedding windows are then full


def load_frontend():
    """The pyopen-wakeword feature extractor, or a RecognizerError saying how to get it."""
    try:
        from pyopen_wakeword import OpenWakeWordFeatures
    except ImportError as exc:
        raise RecognizerError(f"the neural recognizer needs pyopen-wakeword ({exc})",
                              "reinstall voice-coach (pip install -e .), or use --engine sphinx") from None
    try:
        frontend = OpenWakeWordFeatures.from_builtin()
    except OSError as exc:  # the bundled TFLite runtime did not load
        raise RecognizerError(f"pyopen-wakeword's TFLite runtime did not load: {exc}",
                              "on Linux it needs glibc 2.34 or newer (Raspberry Pi OS Bookworm); "
                              "or use --engine sphinx") from None
    run_on_one_thread(frontend)
    return frontend


class EmbeddingStream:
    """Streams int16 audio into time-stamped embeddings, keeping the last ``keep_s`` seconds.

    An embedding's time is the audio position (seconds from the first sample)
    at the end of the chunk that produced it.
    """

    def __init__(self, keep_s: float = 6.0, frontend=None) -> None:
        self._frontend = frontend if frontend is not None else load_frontend()
        # The extractor starts by "auto-filling" 8 s of zeros (~100 embeddings,
        # 0.5 s of CPU) so its first output comes at once; our segments never
        # need that history, and a cold start should be quick.
        if hasattr(self._frontend, "new_audio_samples"):
            self._frontend.new_audio_samples = 0
        # Instead, about a second of a quiet room: the model was trained on
        # segments that always had room sound before them, and a recording that
        # starts with the command (a short WAV file) must look the same.
        quiet = np.random.default_rng(0).standard_normal(PRIMING_CHUNKS * CHUNK_SAMPLES) * 32768 * 10 ** (-70 / 20)
        for start in range(0, quiet.size, CHUNK_SAMPLES):
            for _ in self._frontend.process_streaming(quiet[start : start + CHUNK_SAMPLES].astype(np.int16).tobytes()):
                pass
        self._pending = np.zeros(0, np.int16)
        self._chunks = 0
        self.times: deque[float] = deque(maxlen=int(keep_s / CHUNK_S))
        self.vectors: deque[np.ndarray] = deque(maxlen=int(keep_s / CHUNK_S))

    @property
    def position_s(self) -> float:
        return self._chunks * CHUNK_S

    def accept(self, samples: np.ndarray) -> int:
        """Feed audio; returns how many new embeddings it produced."""
        samples = np.asarray(samples, dtype=np.int16).reshape(-1)
        if self._pending.size:
            samples = np.concatenate([self._pending, samples])
        usable = samples.size - samples.size % CHUNK_SAMPLES
        made = 0
        for start in range(0, usable, CHUNK_SAMPLES):
            self._chunks += 1
            for embedding in self._frontend.process_streaming(samples[start : start + CHUNK_SAMPLES].tobytes()):
                self.times.append(round(self._chunks * CHUNK_S, 3))
                self.vectors.append(np.asarray(embedding, np.float32).reshape(-1)[:EMBEDDING_SIZE])
                made += 1
        self._pending = samples[usable:].copy()
        return made

    def window(self, start_s: float, end_s: float) -> np.ndarray:
        """Embeddings whose time lies in (start_s, end_s], shape (T, 96); T may be 0."""
        rows = [v for t, v in zip(self.times, self.vectors) if start_s < t <= end_s + 1e-6]
        if not rows:
            return np.zeros((0, EMBEDDING_SIZE), np.float32)
        return np.stack(rows)
