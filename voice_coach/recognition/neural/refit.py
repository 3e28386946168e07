"""Adapting the command model to one person: its last layer refitted on their takes.

The profile's takes (clean, and heard again with noise mixed in: ``enrollment.takes``) pass
through the model's hidden layer; the last layer is then refitted on them together with a
bank of the training set's own examples in that layer (``data/profile_bank.npz``: ordinary
sentences, the coach's speech, noise, other voices' commands), starting from the shipped
weights and pulled back towards them.  The bank is what keeps ordinary talk "none": fitted on
the takes alone, every segment would drift towards some command.  Plain numpy, full-batch
Adam, a second or two of CPU.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from voice_coach.errors import RecognizerError
from voice_coach.recognition.neural.model import CommandModel

BANK_FILE = "profile_bank.npz"
_FIX = "reinstall voice-coach, or rebuild it with scripts/build_profile_bank.py"


@dataclass(frozen=True)
class RefitSettings:
    """How the last layer is refitted.

    person_weight: the person's takes together count this many times as much as the whole bank.
    prior: strength of the pull back to the shipped last layer (per squared weight).
    steps: full-batch Adam steps.
    learning_rate: Adam step size.
    gate: cosine similarity (in the hidden layer, -1–1) to the closest take below which a segment
        keeps the shipped layer's verdict (-1: every segment is heard with the refitted layer).
    """

    # Fitted on the tuning split only (`scripts/eval_recognition.py --enrollment --tune`, 5 voices x
    # clean, white and babble at 10 dB, neural engine): the most commands right (654 of 1125; 518
    # without a profile, 586 with the nearest-prototype profile it replaced) among the 36 settings
    # with no more false commands than without a profile (28 of 375).
    person_weight: float = 10.0
    prior: float = 1e-3
    steps: int = 150
    learning_rate: float = 0.01
    gate: float = 0.6


def hidden_layer(model: CommandModel, pooled: np.ndarray) -> np.ndarray:
    """The model's activations before its last layer, one row per pooled segment."""
    h = (np.asarray(pooled, np.float32).reshape(-1, model.mean.size) - model.mean) / model.scale
    for w, b in zip(model.weights[:-1], model.biases[:-1]):
        h = np.maximum(h @ w + b, 0.0)
    return h


def fingerprint(model: CommandModel) -> str:
    """Identifies a model's weights (the bank holds activations of exactly one model)."""
    digest = hashlib.sha256()
    for array in (model.mean, model.scale, *model.weights, *model.biases):
        digest.update(np.ascontiguousarray(array, np.float32).tobytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ProfileBank:
    """Training examples in the model's hidden layer: ``hidden[i]`` is an example of ``labels[i]``."""

    hidden: np.ndarray
    labels: tuple[str, ...]
    model: str  # fingerprint() of the model the activations come from

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            np.savez_compressed(out, hidden=self.hidden.astype(np.float16), labels=np.array(self.labels),
                                model=np.array(self.model))

    @staticmethod
    def load(model: CommandModel, path: Path | None = None) -> "ProfileBank":
        source = Path(path) if path is not None else builtin_bank_path()
        try:
            with np.load(source, allow_pickle=False) as data:
                bank = ProfileBank(data["hidden"].astype(np.float32), tuple(str(x) for x in data["labels"]),
                                   str(data["model"]))
        except FileNotFoundError:
            raise RecognizerError(f"the voice-profile bank {source} is missing", _FIX) from None
        except (KeyError, ValueError, OSError) as exc:
            raise RecognizerError(f"the voice-profile bank {source} is damaged ({exc})", _FIX) from None
        if bank.model != fingerprint(model):
            raise RecognizerError(f"the voice-profile bank {source} belongs to another command model",
                                  "rebuild it for this model with scripts/build_profile_bank.py --model FILE")
        return bank


def unit_rows(rows: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (for cosine similarities)."""
    return rows / (np.linalg.norm(rows, axis=1, keepdims=True) + 1e-9)


def builtin_bank_path() -> Path:
    return Path(str(resources.files("voice_coach.recognition.neural") / "data" / BANK_FILE))


def refit_last_layer(model: CommandModel, hidden: np.ndarray, labels: list[int], bank: ProfileBank,
                     settings: RefitSettings) -> tuple[np.ndarray, np.ndarray]:
    """The last layer's (weights, biases) refitted on the person's rows (``hidden``, label
    indices ``labels``) and the bank's."""
    index = {label: k for k, label in enumerate(model.labels)}
    bank_rows = [k for k, label in enumerate(bank.labels) if label in index]
    x = np.concatenate([hidden, bank.hidden[bank_rows]]).astype(np.float32)
    y = np.concatenate([np.asarray(labels, int), [index[bank.labels[k]] for k in bank_rows]]).astype(int)
    mine, theirs = len(labels), len(bank_rows)
    weight = np.concatenate([np.full(mine, settings.person_weight / max(mine, 1)), np.full(theirs, 1.0 / max(theirs, 1))])
    weight = (weight / weight.sum()).astype(np.float32)
    target = np.zeros((y.size, len(model.labels)), np.float32)
    target[np.arange(y.size), y] = 1.0
    w0, b0 = model.weights[-1].astype(np.float32), model.biases[-1].astype(np.float32)
    params, moments = [w0.copy(), b0.copy()], [[np.zeros_like(w0), np.zeros_like(w0)], [np.zeros_like(b0), np.zeros_like(b0)]]
    for step in range(1, settings.steps + 1):
        z = x @ params[0] + params[1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - target) * weight[:, None]
        grads = (x.T @ g + 2 * settings.prior * (params[0] - w0), g.sum(axis=0))
        for param, grad, (m, v) in zip(params, grads, moments):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= settings.learning_rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return params[0].astype(np.float32), params[1].astype(np.float32)


class RefitAdapter:
    """A profile bound to one command model: ``adjust`` gives the refitted model's probabilities.

    profile: the VoiceProfile (its ``labels`` and pooled ``vectors`` rows); fit_s: CPU seconds
    the refit took (the on-device adaptation).
    """

    def __init__(self, profile, model: CommandModel, settings: RefitSettings | None = None,
                 bank: ProfileBank | None = None) -> None:
        started = time.process_time()
        self.profile = profile
        self.model = model
        self.settings = settings or RefitSettings()
        keep = [k for k, label in enumerate(profile.labels) if label in model.labels]
        kept_labels = np.array([profile.labels[k] for k in keep])
        # rows of self._takes per enrolled command, for its closest take
        self._rows_of = {label: np.flatnonzero(kept_labels == label) for label in dict.fromkeys(kept_labels.tolist())}
        if keep:
            bank = bank or ProfileBank.load(model)
            rows = np.asarray(profile.vectors, np.float32).reshape(len(profile.labels), -1)[keep]
            labels = [model.labels.index(profile.labels[k]) for k in keep]
            hidden = hidden_layer(model, rows)
            self.weights, self.bias = refit_last_layer(model, hidden, labels, bank, self.settings)
            self._takes = unit_rows(hidden)
        else:  # nothing this model knows: the shipped layer
            self.weights, self.bias = model.weights[-1], model.biases[-1]
            self._takes = np.zeros((0, model.weights[-1].shape[0]), np.float32)
        self.fit_s = time.process_time() - started

    def adjust(self, pooled: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        """The refitted layer's probabilities for one pooled segment (``probabilities``: the
        shipped layer's, kept for a segment far from every take when ``settings.gate`` says so)."""
        return self.judge(pooled, probabilities)[0]

    def judge(self, pooled: np.ndarray, probabilities: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
        """``adjust``'s probabilities, and the segment's closeness to the person's takes: per
        enrolled command, the cosine similarity (-1–1, hidden layer) of its closest take."""
        hidden = hidden_layer(self.model, pooled)
        similarity = self._takes @ unit_rows(hidden)[0]
        closeness = {label: float(similarity[rows].max()) for label, rows in self._rows_of.items()}
        if self.settings.gate > -1.0 and (not closeness or max(closeness.values()) < self.settings.gate):
            return probabilities, closeness
        z = hidden[0] @ self.weights + self.bias
        e = np.exp(z - z.max())
        return (e / e.sum()).astype(probabilities.dtype), closeness
