"""One enrollment take: is it usable, and what are its pooled speech embeddings.

A take is embedded exactly as the live engine would see it: the audio, padded
with a little of its own room sound (``audio.room_sound``), streams through the same ``Segmenter`` and
``EmbeddingStream`` in the same chunks, and the segment holding the command is
pooled.  The audio itself is dropped right after; only the pooled vector is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from voice_coach.audio.noise import active_rms, colored_noise, reversed_talk
from voice_coach.audio.room_sound import with_room_sound
from voice_coach.recognition.neural.features import CHUNK_SAMPLES
from voice_coach.recognition.neural.model import NONE_LABEL, POOLED_SIZE, CommandModel, pool
from voice_coach.recognition.neural.profile import ProfileSettings, VoiceProfile
from voice_coach.recognition.neural.recognizer import SegmentStream

RATE = 16000
FRAME = 160  # 10 ms
# Embeddings come every 80 ms and change with where that grid falls on the word; the live engine's
# grid falls anywhere, so each take is embedded at several offsets and every one is kept.
PHASES_S = (0.0, 0.02, 0.04, 0.06)
# The person will be heard over fans, music and talk, but enrolls in a quiet moment: each take is
# also heard with noise mixed in (kind, SNR in dB against the take's speech), so their takes cover
# where their noisy commands land too.  "talk" is the take itself backwards, by three talkers.
NOISY_COPIES: tuple[tuple[str, float], ...] = (("white", 10.0), ("pink", 5.0), ("talk", 10.0))


def with_noise(padded: np.ndarray, speech: np.ndarray, kind: str, snr_db: float,
               rng: np.random.Generator) -> np.ndarray:
    """int16 ``padded`` with ``kind`` noise throughout, ``snr_db`` below ``speech``'s active level."""
    n = padded.size
    if kind == "talk":
        raw = reversed_talk(speech, n, rng)
    else:
        raw = colored_noise(n, rng, {"white": 0.0, "pink": 1.0, "brown": 2.0}[kind])
    mixed = padded.astype(np.float64) + raw * active_rms(speech) * 10 ** (-snr_db / 20)
    return np.clip(np.round(mixed), -32768, 32767).astype(np.int16)


@dataclass(frozen=True)
class TakeSettings:
    """Limits for a usable take.

    min_level_dbfs: loud part's RMS must reach this (dB full scale).
    min_speech_over_room_db: ... and stand this far (dB) above the quiet part, or nothing was said.
    clip_fraction: at most this share of samples may sit at full scale.
    min_speech_s: the loud part must last this long, seconds (a knock is shorter than any word).
    max_speech_s: the command's segment, and its loud part, may last this long, seconds.
    sounded_like_p: another command this probable (0–1) while the prompted one is below
        ``prompted_p`` means the take sounded like that other command.
    """

    min_level_dbfs: float = -42.0
    min_speech_over_room_db: float = 12.0
    clip_fraction: float = 0.001
    min_speech_s: float = 0.12
    max_speech_s: float = 2.5
    sounded_like_p: float = 0.8
    prompted_p: float = 0.1


@dataclass(frozen=True)
class Take:
    """A take that passed: its pooled embeddings (``vectors``: first as recorded, ``vector``,
    then its other views: framing phases and noisy copies) and what was measured on it."""

    vectors: np.ndarray
    speech_s: float
    level_dbfs: float

    @property
    def vector(self) -> np.ndarray:
        return self.vectors[0]


@dataclass(frozen=True)
class TakeVerdict:
    """take: the usable take, or None; problem: what to tell the person (empty when fine);
    heard_label: the command it sounded like instead, when that was the problem."""

    take: Take | None
    problem: str = ""
    heard_label: str = ""


def _frame_power(audio: np.ndarray) -> np.ndarray:
    x = audio.astype(np.float64) / 32768.0
    frames = x[: x.size - x.size % FRAME].reshape(-1, FRAME)
    return np.mean(frames * frames, axis=1) if frames.size else np.zeros(1)


def loud_level_dbfs(audio: np.ndarray) -> float:
    """RMS of the frames within 20 dB of the loudest, in dBFS (the speech, not the pauses)."""
    power = _frame_power(audio)
    loud = power[power >= power.max() * 0.01]
    return float(10 * np.log10(np.mean(loud) + 1e-20))


def loud_seconds(audio: np.ndarray) -> float:
    """From the first to the last 10 ms frame within 25 dB of the loudest: how long the word is."""
    power = _frame_power(audio)
    loud = np.nonzero(power >= power.max() * 10 ** (-25 / 10))[0]
    return (int(loud[-1]) - int(loud[0]) + 1) * FRAME / RATE if loud.size else 0.0


def room_level_dbfs(audio: np.ndarray) -> float:
    """The quiet part's level (10th percentile of 10 ms frames), in dBFS."""
    return float(10 * np.log10(np.percentile(_frame_power(audio), 10) + 1e-20))


def take_segment(audio: np.ndarray, stream: SegmentStream | None = None, phase_s: float = 0.0,
                 noise: tuple[str, float] | None = None) -> tuple[np.ndarray, float, float] | None:
    """The pooled embeddings of the take's main segment (the one with the most speech), its
    speech seconds and the seconds of speech heard outside it; None when nothing was heard.
    ``phase_s`` shifts the take against the 80 ms embedding grid; ``noise`` (kind, SNR dB) mixes
    room noise in (``NOISY_COPIES``)."""
    rng = np.random.default_rng(len(audio))
    padded = with_room_sound(audio, 0.8, rng)
    if noise is not None:
        padded = with_noise(padded, audio, *noise, rng)
    if phase_s:
        padded = np.concatenate([padded[: int(phase_s * RATE)], padded])
    stream = stream or SegmentStream()
    segments = []
    for start in range(0, padded.size, CHUNK_SAMPLES):
        segments += stream.accept(padded[start : start + CHUNK_SAMPLES])
    segments += stream.flush()
    finals = [s for s in segments if s.final]
    if not finals:
        return None
    main = max(finals, key=lambda s: s.speech_s)
    window = stream.window(main)
    if window.shape[0] == 0:
        return None
    other = sum(s.speech_s for s in finals if s is not main)
    return pool(window), main.speech_s, other


class TakeJudge:
    """Checks takes: level, clipping, length, and whether they sounded like another command."""

    def __init__(self, model: CommandModel | None, settings: TakeSettings | None = None, stream_factory=SegmentStream,
                 noisy_copies: tuple[tuple[str, float], ...] = NOISY_COPIES):
        self.model = model
        self.noisy_copies = noisy_copies
        self.settings = settings or TakeSettings()
        self._stream_factory = stream_factory

    def judge(self, audio: np.ndarray, label: str, profile: VoiceProfile | None = None,
              views: bool = True) -> TakeVerdict:
        """The checks, and the take's pooled embeddings; ``views``: also its other views
        (``TakeJudge.views``), else only the first (the caller adds the rest later)."""
        s = self.settings
        audio = np.asarray(audio, np.int16).reshape(-1)
        if audio.size < FRAME:
            return TakeVerdict(None, "I heard nothing. Please say it again")
        level = loud_level_dbfs(audio)
        if np.mean(np.abs(audio.astype(np.int32)) >= 32000) > s.clip_fraction:
            return TakeVerdict(None, "That was too loud and got distorted. Please say it a little softer, "
                                     "or move back from the microphone")
        if level - room_level_dbfs(audio) < s.min_speech_over_room_db:
            return TakeVerdict(None, "I heard nothing. Please say it again")
        if level < s.min_level_dbfs:
            return TakeVerdict(None, f"That was too quiet ({level:.0f} dB). Please speak up or move closer")
        more = "I heard more than the command. Please say only the command"
        loud_s = loud_seconds(audio)
        if loud_s > s.max_speech_s:  # long talk makes no segment at all: say why
            return TakeVerdict(None, more)
        found = take_segment(audio, self._stream_factory())
        if found is None:
            return TakeVerdict(None, "I heard nothing. Please say it again")
        vector, speech_s, other_s = found
        if loud_s < s.min_speech_s:
            return TakeVerdict(None, "That was too short. Please say the whole command")
        if speech_s > s.max_speech_s or other_s > 0.3:
            return TakeVerdict(None, more)
        heard = self.sounded_like(vector, label, profile)
        rows = [vector[None, :], self.views(audio)] if views else [vector[None, :]]
        take = Take(np.concatenate(rows), round(speech_s, 3), round(level, 1))
        if heard:
            return TakeVerdict(take, "sounded like another command", heard)
        return TakeVerdict(take)

    def views(self, audio: np.ndarray) -> np.ndarray:
        """The take's pooled embeddings at the other framing phases and with room noise mixed in
        (``NOISY_COPIES``), one row each; these take most of a take's time."""
        audio = np.asarray(audio, np.int16).reshape(-1)
        shifted = [found[0] for ph in PHASES_S[1:] if (found := take_segment(audio, self._stream_factory(), ph))]
        noisy = [found[0] for k, noise in enumerate(self.noisy_copies)
                 if (found := take_segment(audio, self._stream_factory(), PHASES_S[k % len(PHASES_S)], noise))]
        rows = shifted + noisy
        return np.stack(rows) if rows else np.zeros((0, POOLED_SIZE), np.float32)

    def sounded_like(self, vector: np.ndarray, label: str, profile: VoiceProfile | None) -> str:
        """The other command this take is confidently heard as (with the person's takes so far), or ""."""
        if self.model is None or label not in self.model.labels:
            return ""
        p = self.model.probabilities_pooled(vector[None, :])[0]
        if profile is not None and profile.takes:
            # Full weight: the question is whether the take lies on their takes of another
            # command, not how much to trust that while listening.
            p = profile.prototypes(self.model, replace(ProfileSettings(), weight=1.0)).adjust(vector, p)
        best = int(np.argmax(p))
        other = self.model.labels[best]
        if other in (label, NONE_LABEL):
            return ""
        if p[best] >= self.settings.sounded_like_p and p[self.model.labels.index(label)] < self.settings.prompted_p:
            return other
        return ""
