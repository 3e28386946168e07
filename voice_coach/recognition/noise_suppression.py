"""Optional noise suppression in front of PocketSphinx (WebRTC's, via webrtc-noise-gain).

Whether it is on by default is decided by the evaluation (docs/recognition.md):
it is kept only where it measurably helps.  When the package is missing the
recognizer simply runs without it.
"""

from __future__ import annotations

import numpy as np

from voice_coach.recognition.endpoint import FRAME_SAMPLES

try:  # a compiled wheel; absent on unusual platforms
    import webrtc_noise_gain as _webrtc
except ImportError:  # pragma: no cover - depends on the platform
    _webrtc = None


def suppression_available() -> bool:
    return _webrtc is not None


class NoiseSuppressor:
    """WebRTC noise suppression on 10 ms frames (level 0 = off … 4 = strongest)."""

    def __init__(self, level: int = 2) -> None:
        if _webrtc is None:
            raise RuntimeError("webrtc-noise-gain is not installed")
        self._processor = _webrtc.AudioProcessor(0, level)

    def process(self, frames: np.ndarray) -> np.ndarray:
        """Suppress noise in whole 10 ms frames of int16 audio (length a multiple of 160)."""
        out = np.empty_like(frames)
        for start in range(0, frames.size, FRAME_SAMPLES):
            chunk = self._processor.Process10ms(frames[start : start + FRAME_SAMPLES].tobytes())
            out[start : start + FRAME_SAMPLES] = np.frombuffer(chunk.audio, dtype=np.int16)
        return out
