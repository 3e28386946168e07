"""The evaluation corpus: who speaks, what they say, in which noise.

Everything is split in two: thresholds are tuned on the TUNING split and the
HELD-OUT split (other voices, other sentences, other babble talkers, other
noise seeds) measures how that generalizes.  A trial list is built per
(split, voice, condition) and streamed through a recognizer as one long
recording with pauses between utterances, the way a microphone delivers it.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_coach.evaluation.sentences import HELD_OUT_SENTENCES, TUNING_SENTENCES
from voice_coach.evaluation.synth import SAMPLE_RATE_HZ, Voice, synthesize
from voice_coach.grammar import Grammar
from voice_coach.intents import Command, Intent


def stable_seed(*parts: object) -> int:
    """A seed that is the same in every process and run (``hash()`` of strings is not)."""
    return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:8], 16)


SPEECH_RMS_DBFS = -22.0  # every utterance is normalized to this level before noise is added

# Neither split shares a speaker with the neural model's training voices
# (voice_coach/training/voices.py): the tuning split is where thresholds and the
# fusion verifier are fitted, the held-out split only measures.
TUNING_VOICES: tuple[Voice, ...] = (
    Voice("espeak", "en-gb-x-gbcwmd+m2", 165, 45),
    Voice("espeak", "en-gb-x-gbcwmd+f4", 150, 60),
    Voice("espeak", "en-gb-x-gbcwmd+klatt2", 180, 50),
    Voice("flite", "kal"),
    Voice("espeak", "mb-us2", 155, 50),
)
HELD_OUT_VOICES: tuple[Voice, ...] = (
    Voice("espeak", "en-us+f3", 140, 65),
    Voice("espeak", "en-gb-x-rp+m7", 180, 45),
    Voice("espeak", "en-us-nyc+m1", 160, 35),
    Voice("espeak", "en-gb-x-gbclan+f1", 170, 58),
    Voice("flite", "awb"),
    Voice("flite", "rms"),
    Voice("espeak", "mb-us3", 165, 50),
    Voice("pico", "en-GB"),
)

# Background talkers for babble noise (never commands, never the test sentences).
_BABBLE_TEXT = (
    "the council met on tuesday to discuss the new budget for the library",
    "rain is expected across the north of the country later this evening",
    "she bought three kinds of cheese and a loaf of bread at the market",
    "the train to the airport leaves every twenty minutes from platform four",
    "our team finally won the match after a very long season",
    "he spent the summer painting the fence and fixing the roof",
    "the museum has a new exhibition about ancient boats and trade routes",
    "prices for fruit and vegetables went up again this month",
    "my neighbour keeps bees in the garden behind the garage",
    "the band played old songs until well after midnight",
    "students can borrow laptops from the office on the second floor",
    "a small plane landed safely on the beach this afternoon",
)
_BABBLE_VOICES = {
    "tuning": (Voice("espeak", "en-us+m2", 170, 45), Voice("espeak", "en-gb+f5", 160, 62),
               Voice("flite", "slt"), Voice("espeak", "en-029+f3", 150, 55)),
    "held-out": (Voice("espeak", "en-gb+m4", 165, 40), Voice("espeak", "en-us+f4", 175, 70),
                 Voice("flite", "awb"), Voice("espeak", "en-gb-scotland+m2", 150, 50)),
}


@dataclass(frozen=True)
class Condition:
    """A listening condition: ``noise`` is "" (clean), "white", "pink", "babble" or "room"
    (a reverberant room, RT60 about 0.6 s, with pink noise at ``snr_db``)."""

    noise: str = ""
    snr_db: float = 0.0

    @property
    def label(self) -> str:
        return "clean" if not self.noise else f"{self.noise}@{self.snr_db:g}dB"

    @property
    def level(self) -> str:
        return "clean" if not self.noise else f"{self.snr_db:g} dB"


CONDITIONS: tuple[Condition, ...] = (
    Condition(),
    Condition("white", 10), Condition("pink", 10), Condition("babble", 10),
    Condition("white", 5), Condition("pink", 5), Condition("babble", 5),
    Condition("room", 15),
)
QUICK_CONDITIONS: tuple[Condition, ...] = (Condition(), Condition("babble", 10), Condition("white", 5))


@dataclass(frozen=True)
class Trial:
    """One utterance placed in a stream: a command (``expected`` set) or a sentence."""

    text: str
    expected: Command | None
    start_s: float  # where the utterance's audio starts in the stream
    speech_end_s: float  # last speech frame, measured on the clean signal
    window_end_s: float  # decisions up to here belong to this trial


def select_commands(grammar: Grammar, voice_index: int, per_intent: int, stop_repeats: int,
                    seed: str) -> list[tuple[str, Command]]:
    """Commands one voice says: ``per_intent`` phrasings of every intent, plus extra "stop"s.

    Phrasings rotate with the voice index so that across voices every phrasing
    is spoken; "stop" is said ``stop_repeats`` extra times by every voice
    because it matters most.
    """
    by_intent: dict[Intent, list[tuple[str, Command]]] = {}
    for text, command in sorted(grammar.utterances(), key=lambda tc: tc[0]):
        by_intent.setdefault(command.intent, []).append((text, command))
    chosen: list[tuple[str, Command]] = []
    for intent in sorted(by_intent):
        options = by_intent[intent]
        for k in range(per_intent):
            chosen.append(options[(voice_index * per_intent + k) % len(options)])
    stop = next((tc for tc in grammar.utterances() if tc[0] == "stop"), None)
    if stop is not None:
        chosen.extend([stop] * stop_repeats)
    rng = random.Random(f"{seed}/{voice_index}")
    rng.shuffle(chosen)
    return chosen


def sentences_for(split: str) -> tuple[str, ...]:
    return TUNING_SENTENCES if split == "tuning" else HELD_OUT_SENTENCES


def voices_for(split: str) -> tuple[Voice, ...]:
    return TUNING_VOICES if split == "tuning" else HELD_OUT_VOICES


def normalized(samples: np.ndarray) -> np.ndarray:
    """Float speech scaled so its active-frame RMS is SPEECH_RMS_DBFS."""
    x = samples.astype(np.float64) / 32768.0
    frames = x[: x.size - x.size % 160].reshape(-1, 160)
    power = np.mean(frames * frames, axis=1)
    active = power[power > power.max() * 1e-3] if power.size else power
    rms = float(np.sqrt(np.mean(active))) if active.size else 1e-6
    return x * (10 ** (SPEECH_RMS_DBFS / 20) / max(rms, 1e-9))


def speech_end(x: np.ndarray) -> float:
    """Seconds from the start of ``x`` to the end of its last frame within 35 dB of its loudest."""
    frames = x[: x.size - x.size % 160].reshape(-1, 160)
    level = 10 * np.log10(np.mean(frames * frames, axis=1) + 1e-20)
    loud = np.nonzero(level > level.max() - 35.0)[0]
    return (int(loud[-1]) + 1) * 0.01 if loud.size else 0.0


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE_HZ)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    return np.fft.irfft(spectrum, n)


def _babble(n: int, split: str, rng: np.random.Generator, cache_dir: Path | None) -> np.ndarray:
    mix = np.zeros(n)
    for voice in _BABBLE_VOICES[split]:
        track: list[np.ndarray] = []
        length = 0
        while length < n:
            text = _BABBLE_TEXT[int(rng.integers(len(_BABBLE_TEXT)))]
            piece = normalized(synthesize(text, voice, cache_dir))
            track.append(piece)
            track.append(np.zeros(int(rng.integers(0, 3200))))
            length += piece.size + track[-1].size
        talker = np.concatenate(track)
        offset = int(rng.integers(0, max(1, talker.size - n)))
        mix += talker[offset : offset + n]
    return mix


def noise(condition: Condition, n: int, split: str, seed: int, cache_dir: Path | None) -> np.ndarray:
    """``n`` samples of the condition's noise at the level giving its SNR against normalized speech."""
    if not condition.noise:
        return np.zeros(n)
    rng = np.random.default_rng(seed)
    if condition.noise == "white":
        raw = rng.standard_normal(n)
    elif condition.noise in ("pink", "room"):
        raw = _pink(n, rng)
    elif condition.noise == "babble":
        raw = _babble(n, split, rng, cache_dir)
    else:
        raise ValueError(f"unknown noise {condition.noise!r}")
    rms = float(np.sqrt(np.mean(raw * raw))) or 1.0
    target = 10 ** ((SPEECH_RMS_DBFS - condition.snr_db) / 20)
    return raw * (target / rms)


def _reverberant(speech: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The utterance as heard across a reverberant room: a generated impulse response, RT60 0.5-0.7 s."""
    rt60 = rng.uniform(0.5, 0.7)
    length = int(SAMPLE_RATE_HZ * rt60)
    t = np.arange(length) / SAMPLE_RATE_HZ
    response = rng.standard_normal(length) * np.exp(-6.9 * t / rt60) * 0.5
    response[: int(0.005 * SAMPLE_RATE_HZ)] = 0.0
    response[0] = 1.0
    size = 1 << (speech.size + length - 1).bit_length()
    wet = np.fft.irfft(np.fft.rfft(speech, size) * np.fft.rfft(response, size), size)[: speech.size + length // 2]
    return normalized_float(wet)


def normalized_float(x: np.ndarray) -> np.ndarray:
    """Float audio rescaled so its active-frame RMS is SPEECH_RMS_DBFS."""
    return normalized(np.round(x / (np.max(np.abs(x)) or 1.0) * 30000).astype(np.int16))


def build_stream(items: list[tuple[str, Command | None]], voice: Voice, condition: Condition, split: str,
                 seed: int, cache_dir: Path | None, gap_s: float = 1.2,
                 lead_s: float = 1.0) -> tuple[np.ndarray, list[Trial]]:
    """One recording: ``lead_s`` of room noise, then every item followed by ``gap_s`` of pause."""
    pieces: list[np.ndarray] = [np.zeros(int(lead_s * SAMPLE_RATE_HZ))]
    trials: list[Trial] = []
    position = pieces[0].size
    room = np.random.default_rng(seed + 1) if condition.noise == "room" else None
    for text, expected in items:
        speech = normalized(synthesize(text, voice, cache_dir))
        if room is not None:
            speech = _reverberant(speech, room)
        gap = np.zeros(int(gap_s * SAMPLE_RATE_HZ))
        start_s = position / SAMPLE_RATE_HZ
        end_s = start_s + speech_end(speech)
        window_end = (position + speech.size + gap.size) / SAMPLE_RATE_HZ
        trials.append(Trial(text, expected, start_s, end_s, window_end))
        pieces.extend([speech, gap])
        position += speech.size + gap.size
    clean = np.concatenate(pieces)
    mixed = clean + noise(condition, clean.size, split, seed, cache_dir)
    peak = float(np.max(np.abs(mixed))) or 1.0
    if peak > 0.99:  # keep the mix from clipping; SNR is unchanged by a common gain
        mixed *= 0.99 / peak
    return np.round(mixed * 32767).astype(np.int16), trials
