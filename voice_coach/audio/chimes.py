"""Short generated chimes (no sound files): ``chime_audio(kind)`` and a non-blocking ``ChimePlayer``.

Each kind has its own loudest ("main") note so they stay distinguishable by ear
and by a spectrum check: start rises to A5, switch bounces on F5, step_done
falls to C5, attention is three quick D6 pips, finish is a held C6 arpeggio.
Notes are bell-like (sine + soft octave, exponential decay) with 5 ms fade-in
and 15 ms fade-out so nothing clicks.
"""

from __future__ import annotations

import queue
import threading

import numpy as np

from voice_coach.audio.player import ClipPlayer
from voice_coach.session.messages import CHIME_KINDS

RATE_HZ = 16000

# kind -> [(frequency Hz, duration s, relative level)]; the main note has level 1.0.
_NOTES: dict[str, list[tuple[float, float, float]]] = {
    "start": [(659.25, 0.12, 0.6), (880.00, 0.30, 1.0)],
    "switch": [(698.46, 0.14, 1.0), (523.25, 0.10, 0.5), (698.46, 0.20, 1.0)],
    "step_done": [(783.99, 0.12, 0.6), (523.25, 0.32, 1.0)],
    "attention": [(1174.66, 0.08, 1.0), (0.0, 0.06, 0.0)] * 2 + [(1174.66, 0.08, 1.0)],
    "finish": [(523.25, 0.12, 0.5), (659.25, 0.12, 0.5), (783.99, 0.12, 0.5), (1046.50, 0.55, 1.0)],
}
MAIN_FREQUENCY_HZ = {kind: max(notes, key=lambda n: (n[2], n[1]))[0] for kind, notes in _NOTES.items()}
assert set(_NOTES) == set(CHIME_KINDS)


def _note(freq: float, seconds: float, level: float, rate: int) -> np.ndarray:
    n = int(seconds * rate)
    if freq <= 0 or level <= 0:
        return np.zeros(n)
    t = np.arange(n) / rate
    tone = np.sin(2 * np.pi * freq * t) + 0.25 * np.sin(2 * np.pi * 2 * freq * t)
    env = np.exp(-t / max(seconds * 0.6, 0.05))
    fade_in, fade_out = int(0.005 * rate), int(0.015 * rate)
    env[:fade_in] *= np.linspace(0, 1, fade_in)
    env[-fade_out:] *= np.linspace(1, 0, fade_out)
    return level * tone * env / 1.25


def chime_audio(kind: str, volume: float = 0.5, rate: int = RATE_HZ) -> np.ndarray:
    """The chime ``kind`` (one of CHIME_KINDS) as int16 mono samples at ``rate`` Hz."""
    if kind not in _NOTES:
        raise ValueError(f"unknown chime {kind!r}; kinds are {', '.join(CHIME_KINDS)}")
    wave = np.concatenate([_note(f, d, lv, rate) for f, d, lv in _NOTES[kind]])
    volume = min(1.0, max(0.0, volume))
    return np.round(wave * volume * 32000).astype(np.int16)


class ChimePlayer:
    """Plays chimes on a worker thread so ``play`` never blocks the live loop."""

    def __init__(self, device: str = "", volume: float = 0.5) -> None:
        self.volume = volume
        self.player = ClipPlayer(device)
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=8)
        self._worker: threading.Thread | None = None
        self._generation = 0
        self.played: list[tuple[str, float, float]] = []  # (kind, started_at, ended_at), for displays/tests

    def start(self) -> None:
        self.player.open()  # AudioError now when there is no speaker
        self._worker = threading.Thread(target=self._run, name="chimes", daemon=True)
        self._worker.start()

    def play(self, kind: str) -> None:
        """Queue a chime; unknown kinds raise ValueError, a flooded queue drops the chime."""
        if kind not in _NOTES:
            raise ValueError(f"unknown chime {kind!r}; kinds are {', '.join(CHIME_KINDS)}")
        try:
            self._queue.put_nowait(kind)
        except queue.Full:
            pass  # eight chimes behind is already too late to be useful

    def stop(self) -> None:
        self._generation += 1

    def close(self) -> None:
        self.stop()
        self._queue.put(None)
        if self._worker is not None:
            self._worker.join(timeout=3)

    def _run(self) -> None:
        while (kind := self._queue.get()) is not None:
            generation = self._generation
            try:
                played = self.player.play(chime_audio(kind, self.volume), RATE_HZ,
                                          cancelled=lambda: generation != self._generation)
                self.played.append((kind, played.started_at, played.ended_at))
            except Exception:
                pass  # a lost speaker must not stop the session; the speaker reports device trouble
