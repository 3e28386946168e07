"""Room sound around a recording: what a microphone would have heard before and after it.

A file or an enrollment take often starts on the first syllable and sits in digital silence;
a live microphone never does.  The segmenter learns the room's level from the sound before
speech and hears a word's start only against it, so a recording is given a little of its own
quietest sound on both sides (and, for a take in digital silence, a microphone's noise floor
throughout) before it is heard.
"""

from __future__ import annotations

import numpy as np

RATE_HZ = 16000
FRAME = 160  # 10 ms
MIC_FLOOR_DBFS = -65.0


def with_room_sound(audio: np.ndarray, seconds: float, rng: np.random.Generator, *,
                    floor_throughout: bool = True) -> np.ndarray:
    """int16 ``audio`` with ``seconds`` of room sound on both sides, at the recording's own
    quietest 10 ms level (at least the microphone floor).  ``floor_throughout``: also add the
    microphone's floor to the recording itself (a take in digital silence); without it the
    recording's own samples are kept as they are."""
    floor = 10 ** (MIC_FLOOR_DBFS / 20) * 32768
    x = np.asarray(audio).astype(np.float64).reshape(-1)
    if floor_throughout:
        x = x + rng.standard_normal(x.size) * floor
    frames = x[: x.size - x.size % FRAME].reshape(-1, FRAME)
    room = max(float(np.sqrt(np.min(np.mean(frames * frames, axis=1)))) if frames.size else 0.0, floor)
    pad = int(seconds * RATE_HZ)
    x = np.concatenate([rng.standard_normal(pad) * room, x, rng.standard_normal(pad) * room])
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)
