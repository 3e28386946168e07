"""Out-of-grammar rejection for the PocketSphinx recognizer.

A JSGF grammar forces every sentence onto its closest command ("stop by the
front desk" → "stop").  We therefore collect evidence about each grammar
result and reject it when the audio does not look like that command alone:

* acoustic gap: how much better an unconstrained phone loop explains the same
  audio than the grammar path does, per frame.  Small for a real command,
  large when the grammar had to bend other words into a command.
* stretch: frames per phone of the command words.  A short command forced
  over a long sentence gets absurdly long phones.
* phone ratio: phones the free phone loop found / phones of the command.
  A sentence has many more phones than the command it was forced onto.
* coverage: share of the energetic (speech) frames that the command words span.
* distance: edit distance between the phones the free loop heard and the
  command's phones, per phone.  The strongest single cue measured: a sentence
  forced onto a command of similar length still *sounds* different.

Limits were chosen on the tuning split of scripts/eval_recognition.py only;
docs/recognition.md has the numbers (and how far they are from the targets).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from voice_coach.grammar.sphinx_grammar import SphinxLexicon

_SILENCE = frozenset({"<s>", "</s>", "<sil>"})
_NOISE = frozenset({"[NOISE]", "[SPEECH]"})


def is_filler(word: str) -> bool:
    """Silence and noise pseudo-words of the decoder's segmentation."""
    return word in _SILENCE or word in _NOISE


def _edit_distance(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between two phone sequences."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class Evidence:
    """What is known about one grammar result (scores: integer log domain, base 1.0001)."""

    text: str
    frames: int  # frames decoded (pre-roll + speech + trailing silence)
    word_start: int  # first frame of the first command word
    word_end: int  # last frame of the last command word
    filler_frames: int  # [NOISE]/[SPEECH]/<sil> frames between the first and last command word
    command_phones: int
    free_phones: int  # non-silence phones the free phone loop found anywhere
    inner_phones: int  # ... of which centred inside the command words' span
    energetic_frames: int  # frames above the noise floor margin
    energetic_inside: int  # ... of which inside the command words' span
    grammar_score: float
    phone_score: float
    phone_distance: int = 0  # edit distance between the free loop's phones and the command's

    @classmethod
    def collect(
        cls,
        *,
        text: str,
        words: list[tuple[str, int, int]],
        grammar_score: float,
        phone_score: float,
        phones: list[tuple[str, int, int]],
        lexicon: SphinxLexicon,
        silent: list[bool],
    ) -> "Evidence":
        spoken = [(s, e) for w, s, e in words if not is_filler(w)]
        start, end = (spoken[0][0], spoken[-1][1]) if spoken else (0, -1)
        fillers = sum(max(0, min(e, end) - max(s, start) + 1) for w, s, e in words if is_filler(w))
        energetic = [i for i, quiet in enumerate(silent) if not quiet]
        return cls(
            text=text,
            frames=len(silent),
            word_start=start,
            word_end=end,
            filler_frames=fillers,
            command_phones=lexicon.phone_count(text),
            free_phones=len(phones),
            inner_phones=sum(1 for _, s, e in phones if start <= (s + e) / 2 <= end),
            phone_distance=_edit_distance([p for p, _, _ in phones], lexicon.phones_of(text)),
            energetic_frames=len(energetic),
            energetic_inside=sum(1 for i in energetic if start <= i <= end),
            grammar_score=grammar_score,
            phone_score=phone_score,
        )

    @property
    def word_frames(self) -> int:
        return max(0, self.word_end - self.word_start + 1)

    @property
    def gap_per_frame(self) -> float:
        """How much better the free phone loop explains the audio, per command-word frame."""
        if math.isinf(self.grammar_score) or math.isinf(self.phone_score):
            return 1000.0
        return (self.phone_score - self.grammar_score) / max(1, self.word_frames)

    def features(self) -> dict[str, float]:
        """The cues the policy weighs, all scale-free so they transfer across speakers and rooms."""
        phones = max(1, self.command_phones)
        return {
            "gap": self.gap_per_frame / 10.0,
            "fpp": self.word_frames / phones / 10.0,
            "pace": 10.0 * phones / max(1, self.word_frames),
            "ratio": self.free_phones / phones,
            "inner": self.inner_phones / phones,
            "coverage": self.energetic_inside / max(1, self.energetic_frames),
            "filler": self.filler_frames / max(1, self.word_frames),
            "distance": self.phone_distance / max(phones, self.free_phones, 1),
        }


# Direction of each cue: +1 means "larger looks more like a real command".
DIRECTIONS: dict[str, int] = {"coverage": +1, "ratio": -1, "inner": -1, "gap": -1, "filler": -1, "fpp": -1,
                              "pace": -1, "distance": -1}

Limits = tuple[tuple[str, float], ...]

# Chosen on the tuning split only (scripts/eval_recognition.py --split tuning
# --no-reject --features …; scripts/tune_sphinx_rejection.py prints the
# trade-off): each limit sits near the 5th-15th percentile of real commands'
# cue values.  Speaking-rate cues (fpp, pace) are left out on purpose: fitted
# limits followed the tuning voices' tempo and rejected ordinary 160 wpm speech.
GENERAL_LIMITS: Limits = (
    ("distance", 0.75), ("coverage", 0.85), ("ratio", 2.2), ("inner", 1.8), ("filler", 0.05),
)
# "stop" must work above all; its own, looser limits (fitted on the tuning
# split's "stop" results only) still reject "stop by the front desk …".
STOP_LIMITS: Limits = (("coverage", 0.863), ("ratio", 2.0), ("filler", 0.0294))


@dataclass(frozen=True)
class RejectionPolicy:
    """Accept a grammar result when every cue is within its limit.

    ``limits``: (cue, limit) pairs; the cue's direction (``DIRECTIONS``) says
    whether the limit is a minimum or a maximum.  ``per_phrase`` overrides the
    limits for particular utterances ("stop").  No limits accepts everything.
    """

    limits: Limits = ()
    per_phrase: tuple[tuple[str, Limits], ...] = ()

    @classmethod
    def default(cls) -> "RejectionPolicy":
        return cls(GENERAL_LIMITS, (("stop", STOP_LIMITS),))

    def limits_for(self, text: str) -> Limits:
        return dict(self.per_phrase).get(text, self.limits)

    def judge(self, evidence: Evidence) -> tuple[bool, float]:
        """(accepted, confidence in 0..1) for one grammar result.

        Confidence: the smallest relative margin to any limit, mapped to 0.5
        at the limit (accepted results are ≥ 0.5).
        """
        limits = self.limits_for(evidence.text)
        if not limits:
            return True, 1.0
        features = evidence.features()
        margins = []
        for name, limit in limits:
            value = features[name]
            margin = (value - limit) if DIRECTIONS[name] > 0 else (limit - value)
            margins.append(margin / max(abs(limit), 1e-6))
        worst = min(margins)
        return worst >= 0.0, 1.0 / (1.0 + math.exp(-4.0 * worst))
