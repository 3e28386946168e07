"""Training examples for the neural command model: synthesized, augmented, segmented, embedded.

Every example is what the run-time engine would see: the utterance is placed in a
stream after a stretch of room sound, the whole stream goes through the same
``Segmenter`` and ``EmbeddingStream`` as at run time, and each segment that
covers the utterance becomes one pooled example (at the early look and at the
final decision).  A second example per utterance uses its true boundaries with
jitter, so an utterance the segmenter cut badly still teaches the model.
Segments that match no utterance (noise bursts, fragments of sentences) are
examples of "none".

Work is split into shards (about 30 utterances, one room condition each); each
shard's result is cached on disk by the hash of its description, so a rerun
only does what changed.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from voice_coach.evaluation import corpus
from voice_coach.evaluation.synth import Voice, synthesize
from voice_coach.grammar import Grammar
from voice_coach.recognition.neural.features import EmbeddingStream
from voice_coach.recognition.neural.model import NONE_LABEL, label_of, pool
from voice_coach.recognition.segmenter import Segmenter
from voice_coach.training import augment
from voice_coach.training.voices import babble_voices

RATE = 16000
NOISES = ("white", "pink", "brown", "babble", "music", "hum")


@dataclass(frozen=True)
class Item:
    """One utterance to place: ``text`` said by ``voice`` (``label`` "none" for non-commands);
    text "" with voice None is a burst of noise."""

    text: str
    label: str
    voice: Voice | None
    kind: str  # command, sentence, padded, partial, word, coach, noise


@dataclass(frozen=True)
class Shard:
    items: tuple[Item, ...]
    seed: int
    noise: str  # "" = clean
    snr_db: float
    gain_db: float
    band_limit: bool

    def key(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def command_items(grammar: Grammar, voices: list[Voice], stop_repeats: int = 3) -> list[Item]:
    items = []
    for voice in voices:
        for text, command in grammar.utterances():
            items.append(Item(text, label_of(command), voice, "command"))
        items += [Item("stop", "stop", voice, "command")] * stop_repeats
    return items


def negative_items(texts: dict[str, list[str]], voices: list[Voice], per_text: dict[str, int],
                   seed: int) -> list[Item]:
    """Each text of each kind said by ``per_text[kind]`` randomly chosen voices."""
    rng = random.Random(seed)
    items = []
    for kind, strings in texts.items():
        for text in strings:
            for voice in rng.sample(voices, min(len(voices), per_text.get(kind, 4))):
                items.append(Item(text, NONE_LABEL, voice, kind))
    return items


def make_shards(items: list[Item], seed: int, per_shard: int = 30, noise_items: int = 400) -> list[Shard]:
    rng = random.Random(seed)
    items = list(items) + [Item("", NONE_LABEL, None, "noise")] * noise_items
    rng.shuffle(items)
    shards = []
    for k in range(0, len(items), per_shard):
        clean = rng.random() < 0.25
        shards.append(Shard(
            items=tuple(items[k : k + per_shard]), seed=rng.randrange(2**31),
            noise="" if clean else rng.choice(NOISES), snr_db=round(rng.uniform(0.0, 25.0), 1),
            gain_db=round(rng.uniform(-12.0, 12.0), 1), band_limit=rng.random() < 0.3))
    return shards


def _noise_burst(rng: np.random.Generator) -> np.ndarray:
    """A knock, cough-like puff or rustle: shaped noise of 0.1–1.0 s."""
    n = int(RATE * rng.uniform(0.1, 1.0))
    x = augment.colored_noise(n, rng, rng.uniform(0.0, 2.0))
    t = np.arange(n) / RATE
    envelope = np.exp(-t * rng.uniform(2.0, 20.0)) if rng.random() < 0.5 else np.sin(np.pi * t / t[-1])
    return x * envelope * 10 ** (corpus.SPEECH_RMS_DBFS / 20)


def _babble(n: int, rng: np.random.Generator, cache: Path, sentences: list[str]) -> np.ndarray:
    voices = babble_voices()
    mix = np.zeros(n)
    for _ in range(int(rng.integers(2, 7))):
        voice = voices[int(rng.integers(len(voices)))]
        track, length = [], 0
        while length < n:
            piece = corpus.normalized(synthesize(sentences[int(rng.integers(len(sentences)))], voice, cache / "speech"))
            track += [piece, np.zeros(int(rng.integers(0, 3200)))]
            length += piece.size + track[-1].size
        talker = np.concatenate(track)
        offset = int(rng.integers(0, max(1, talker.size - n)))
        mix += talker[offset : offset + n]
    return mix


def room_noise(kind: str, n: int, rng: np.random.Generator, cache: Path, sentences: list[str]) -> np.ndarray:
    if kind == "white":
        return augment.colored_noise(n, rng, 0.0)
    if kind == "pink":
        return augment.colored_noise(n, rng, 1.0)
    if kind == "brown":
        return augment.colored_noise(n, rng, 2.0)
    if kind == "babble":
        return _babble(n, rng, cache, sentences)
    if kind == "music":
        return augment.music(n, rng)
    if kind == "hum":
        return augment.hum(n, rng)
    raise ValueError(f"unknown noise {kind!r}")


@dataclass
class ShardExamples:
    """Each example's (T, 96) embedding window, kept whole so pooling can change without re-embedding."""

    windows: list[np.ndarray]
    labels: list[str]
    kinds: list[str]
    audio_s: float

    def pooled(self) -> np.ndarray:
        return np.stack([pool(w.astype(np.float32)) for w in self.windows]) if self.windows else np.zeros((0, 0))


def build_shard(shard: Shard, cache: Path, babble_sentences: list[str]) -> ShardExamples:
    """Synthesize, augment, segment and embed one shard (deterministic for a shard)."""
    rng = np.random.default_rng(shard.seed)
    pieces: list[np.ndarray] = []
    spans: list[tuple[float, float, Item]] = []  # true speech start/end per item
    position = 0
    for item in shard.items:
        lead = np.zeros(int(RATE * rng.uniform(0.85, 1.2)))
        if item.voice is None:
            speech = _noise_burst(rng)
        else:
            speech = corpus.normalized(synthesize(item.text, item.voice, cache / "speech"))
            if rng.random() < 0.5:
                speech = augment.change_speed(speech, rng.uniform(0.9, 1.1))
            if rng.random() < 0.3:
                speech = augment.reverberate(speech, augment.room_response(rng))
        start = position + lead.size
        loud = _loud_span(speech)
        spans.append(((start + loud[0]) / RATE, (start + loud[1]) / RATE, item))
        pieces += [lead, speech]
        position = start + speech.size
    pieces.append(np.zeros(int(RATE * 1.0)))
    clean = np.concatenate(pieces)
    if shard.band_limit:
        clean = augment.band_limit(clean, rng)
    mix = clean
    if shard.noise:
        noise = room_noise(shard.noise, clean.size, rng, cache, babble_sentences)
        noise *= 10 ** ((corpus.SPEECH_RMS_DBFS - shard.snr_db) / 20) / (np.sqrt(np.mean(noise * noise)) + 1e-12)
        mix = clean + noise
    mix = mix * 10 ** (shard.gain_db / 20)
    # a microphone's own noise floor, so no stretch is digital silence
    mix = mix + rng.standard_normal(mix.size) * 10 ** (-65 / 20)
    audio = np.clip(np.round(mix * 32767), -32768, 32767).astype(np.int16)

    stream = EmbeddingStream(keep_s=audio.size / RATE + 1.0)
    segmenter = Segmenter()
    segments = []
    step = 480
    for k in range(0, audio.size, step):
        chunk = audio[k : k + step]
        stream.accept(chunk)
        segments += segmenter.accept(chunk)
    segments += segmenter.flush()

    features, labels, kinds = [], [], []

    def add(window: np.ndarray, label: str, kind: str) -> None:
        if window.shape[0] == 0:
            return
        features.append(window.astype(np.float16))
        labels.append(label)
        kinds.append(kind)

    matched: set[int] = set()
    for seg in segments:
        owner = None
        for index, (s, e, item) in enumerate(spans):
            overlap = min(seg.end_s, e) - max(seg.start_s, s)
            if overlap > 0:
                if owner is not None:  # spans two utterances: talk, not one command
                    owner = -1
                    break
                owner = index
        window = stream.window(seg.start_s, seg.at_s)
        if owner is None or owner == -1:
            add(window, NONE_LABEL, "stray")
            continue
        s, e, item = spans[owner]
        covered = (min(seg.end_s, e) - max(seg.start_s, s)) / max(e - s, 1e-3)
        if covered >= 0.6:
            add(window, item.label, item.kind)
            matched.add(owner)
        elif item.label == NONE_LABEL:
            add(window, NONE_LABEL, item.kind)  # a fragment of talk or noise
    for index, (s, e, item) in enumerate(spans):
        start = s - float(rng.uniform(0.05, 0.35))
        at = e + float(rng.uniform(0.12, 0.35))
        add(stream.window(start, at), item.label, item.kind)
    return ShardExamples(features, labels, kinds, audio.size / RATE)


def _loud_span(x: np.ndarray) -> tuple[int, int]:
    frames = x[: x.size - x.size % 160].reshape(-1, 160)
    if frames.size == 0:
        return 0, x.size
    level = 10 * np.log10(np.mean(frames * frames, axis=1) + 1e-20)
    loud = np.nonzero(level > level.max() - 35.0)[0]
    if loud.size == 0:
        return 0, x.size
    return int(loud[0]) * 160, (int(loud[-1]) + 1) * 160


def cached_shard(shard: Shard, cache: Path, babble_sentences: list[str]) -> ShardExamples:
    path = cache / "shards" / f"{shard.key()}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode())
            flat, ends = data["windows"], list(meta["ends"])
            windows = [flat[a:b] for a, b in zip([0] + ends[:-1], ends)]
            return ShardExamples(windows, meta["labels"], meta["kinds"], meta["audio_s"])
    result = build_shard(shard, cache, babble_sentences)
    path.parent.mkdir(parents=True, exist_ok=True)
    ends = np.cumsum([w.shape[0] for w in result.windows]).tolist()
    meta = {"labels": result.labels, "kinds": result.kinds, "audio_s": result.audio_s, "ends": ends}
    flat = np.concatenate(result.windows) if result.windows else np.zeros((0, 96), np.float16)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, windows=flat.astype(np.float16), meta=np.frombuffer(json.dumps(meta).encode(), np.uint8))
    tmp.replace(path)
    return result
