"""Who speaks the training data: voices kept apart from the tuning and held-out splits.

Held-out (evaluation/corpus.py HELD_OUT_VOICES) uses the espeak-ng accents
en-us-nyc and en-gb-x-gbclan and the variants f1, f3, m1, m7, which no
training voice uses at all, plus flite awb and rms, mbrola us3 and pico en-GB.
Tuning (TUNING_VOICES, where the verifier and thresholds are fitted) uses the
accent en-gb-x-gbcwmd, flite kal and mbrola us2, also never in training.
"""

from __future__ import annotations

import random

from voice_coach.evaluation.synth import Voice

TRAIN_ACCENTS = ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029")
HELD_OUT_VARIANTS = frozenset({"f1", "f3", "m1", "m7"})
TRAIN_VARIANTS = (
    "", "m2", "m3", "m4", "m5", "m6", "m8", "f2", "f4", "f5", "croak", "klatt", "klatt2", "klatt3",
    "klatt4", "whisperf", "adam", "Alex", "Andy", "Annie", "aunty", "belinda", "benjamin", "boris",
    "caleb", "david", "ed", "edward", "Gene", "iven", "john", "linda", "max", "Michael", "Mike",
    "paul", "quincy", "rob", "robert", "steph", "travis", "victor", "zac", "grandma", "grandpa",
    "anika", "norbert", "shelby", "Lee", "Jacky",
)


def training_voices(espeak_count: int = 66, seed: int = 7) -> list[Voice]:
    """The training speakers: espeak-ng accent × variant × rate × pitch, plus perturbed
    flite, mbrola and pico voices (fixed seed: the same list every time)."""
    rng = random.Random(seed)
    voices: list[Voice] = []
    combos = [(a, v) for a in TRAIN_ACCENTS for v in TRAIN_VARIANTS]
    rng.shuffle(combos)
    for accent, variant in combos[:espeak_count]:
        name = f"{accent}+{variant}" if variant else accent
        voices.append(Voice("espeak", name, rng.randint(125, 205), rng.randint(25, 75)))
    for tempo, semitones in ((1.0, 0.0), (0.9, 1.5), (1.1, -1.5)):
        voices.append(Voice("flite", "slt", tempo=tempo, semitones=semitones))
        voices.append(Voice("flite", "kal16", tempo=tempo, semitones=semitones))
        voices.append(Voice("pico", "en-US", tempo=tempo, semitones=semitones))
    for rate in (135, 165, 195):
        voices.append(Voice("espeak", "mb-us1", rate, 50))
    return voices


def babble_voices() -> list[Voice]:
    """Background talkers for training babble (training voices only)."""
    return [Voice("espeak", "en-us+m4", 170, 45), Voice("espeak", "en-gb+f4", 160, 62),
            Voice("flite", "slt"), Voice("espeak", "en-029+m2", 150, 55), Voice("pico", "en-US"),
            Voice("espeak", "en-gb-scotland+f5", 175, 58), Voice("espeak", "mb-us1", 160, 50)]
