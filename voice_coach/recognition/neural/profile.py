"""A person's voice profile: their enrolled takes, as pooled speech embeddings, per command.

The profile holds no audio, only the pooled openWakeWord embeddings of each
take (``model.pool``), so it does not depend on the command model's weights and
survives a retrained model.  Bound to a model for listening (``for_model``) it
refits the model's last layer on the takes (``refit``).  Its other use is the
take check while enrolling (``prototypes``): does a new take lie close to the
person's own takes of another command?
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from voice_coach.recognition.neural.model import CommandModel
from voice_coach.recognition.neural.refit import ProfileBank, RefitAdapter, RefitSettings, hidden_layer, unit_rows

POOL_VERSION = 1  # bump when model.pool changes its layout: stored takes would no longer fit


@dataclass(frozen=True)
class ProfileSettings:
    """For the take check (``prototypes``): how close a segment must be to the person's takes
    (cosine similarity, -1–1, in the model's hidden layer) before they count, and how much they
    count (0–1).

    near: similarity at which the takes start to count.
    sure: similarity at which they count fully (weight ``weight``).
    margin: the best command's similarity must beat the next command's by this much to count fully.
    weight: largest share of the prototype decision in the final probabilities.
    agree: how much lower ``near`` and ``sure`` are when the closest take's command is also the
        model's own first choice (two weak signals that agree are a stronger one).
    """

    # Fitted on the tuning split when the prototypes still listened (586 of 1125 commands right,
    # 518 without a profile; README, "Learning a voice"); the take check now uses them at full
    # weight, where only near, sure, margin and agree matter.
    near: float = 0.70
    sure: float = 0.82
    margin: float = 0.06
    weight: float = 0.70
    agree: float = 0.15


@dataclass(frozen=True)
class VoiceProfile:
    """user: the profile's name; labels[i]: command label of row i; vectors[i]: its pooled
    embeddings (model.pool); texts[i]: the words prompted or named for it; take_ids[i]: which
    take the row came from (one take gives several rows, one per framing phase); empty = one
    row per take."""

    user: str
    labels: tuple[str, ...]
    vectors: np.ndarray
    texts: tuple[str, ...] = ()
    meta: dict = field(default_factory=dict)
    take_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.vectors) or (self.take_ids and len(self.take_ids) != len(self.labels)):
            raise ValueError("one label (and take id) per stored row")

    def _ids(self) -> tuple[int, ...]:
        return self.take_ids or tuple(range(len(self.labels)))

    @property
    def takes(self) -> int:
        return len(set(self._ids()))

    def count(self, label: str) -> int:
        return len({i for i, x in zip(self._ids(), self.labels) if x == label})

    def count_text(self, text: str) -> int:
        """Takes enrolled with exactly these words (an own phrase, see ``enroll --phrase``)."""
        return len({i for i, x in zip(self._ids(), self.texts) if x == text})

    def with_take(self, label: str, vectors: np.ndarray, text: str) -> "VoiceProfile":
        """This profile plus one take: its pooled vectors, shape (D,) or (phases, D)."""
        rows = np.atleast_2d(np.asarray(vectors, np.float32))
        ids = self._ids()
        new_id = max(ids) + 1 if ids else 0
        old = self.vectors.reshape(-1, rows.shape[1]) if self.vectors.size else np.zeros((0, rows.shape[1]), np.float32)
        return VoiceProfile(self.user, (*self.labels, *[label] * len(rows)), np.concatenate([old, rows]),
                            (*self.texts, *[text] * len(rows)), dict(self.meta), (*ids, *[new_id] * len(rows)))

    def for_model(self, model: CommandModel, settings: RefitSettings | None = None,
                  bank: ProfileBank | None = None) -> RefitAdapter:
        """The model refitted to this person, for listening (``bank``: the shipped one)."""
        return RefitAdapter(self, model, settings, bank)

    def prototypes(self, model: CommandModel, settings: ProfileSettings | None = None) -> "ProfileAdapter":
        """The takes as prototypes in the model's hidden layer, for the take check."""
        return ProfileAdapter(self, model, settings or ProfileSettings())


def _hidden(model: CommandModel, pooled: np.ndarray) -> np.ndarray:
    """The model's activations before its last layer, unit length per row."""
    return unit_rows(hidden_layer(model, pooled))


class ProfileAdapter:
    """A profile's takes as prototypes of one command model: ``adjust`` pulls probabilities
    towards the person's own take a segment resembles (the take check; it listened too, before
    the refit heard more: README, "Learning a voice")."""

    def __init__(self, profile: VoiceProfile, model: CommandModel, settings: ProfileSettings) -> None:
        self.profile = profile
        self.settings = settings
        self.labels = model.labels
        keep = [i for i, label in enumerate(profile.labels) if label in model.labels]
        self._label_index = np.array([model.labels.index(profile.labels[i]) for i in keep], dtype=int)
        self._prototypes = _hidden(model, profile.vectors[keep]) if keep else np.zeros((0, 1), np.float32)
        self._model = model

    def nearest(self, pooled: np.ndarray) -> tuple[int, float, float]:
        """Model label index of the closest enrolled command, its similarity, and the best
        similarity among the person's other commands (-1 when there is none)."""
        if self._label_index.size == 0:
            return -1, -1.0, -1.0
        sims = self._prototypes @ _hidden(self._model, pooled)[0]
        best = int(np.argmax(sims))
        label = int(self._label_index[best])
        others = sims[self._label_index != label]
        return label, float(sims[best]), float(others.max()) if others.size else -1.0

    def adjust(self, pooled: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        label, similarity, runner_up = self.nearest(pooled)
        if label < 0:
            return probabilities
        s = self.settings
        lower = s.agree if label == int(np.argmax(probabilities)) else 0.0
        closeness = np.clip((similarity - (s.near - lower)) / max(s.sure - s.near, 1e-6), 0.0, 1.0)
        clear = np.clip((similarity - runner_up) / max(s.margin, 1e-6), 0.0, 1.0)
        weight = float(s.weight * closeness * clear)
        if weight <= 0.0:
            return probabilities
        target = np.zeros_like(probabilities)
        target[label] = 1.0
        return ((1.0 - weight) * probabilities + weight * target).astype(probabilities.dtype)
