"""The command model file: pooled segment embeddings → a small MLP → class probabilities.

Inference is plain numpy (no PyTorch or scikit-learn at run time).  The model
sees the whole segment: its embeddings are summarized as mean, max and spread
over all of them plus the means of four consecutive time slices (so word order
counts: "go back" vs "back"), and the segment's length.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from voice_coach.errors import RecognizerError
from voice_coach.recognition.neural.features import EMBEDDING_SIZE
from voice_coach.intents import Command, Intent

NONE_LABEL = "none"
SLICES = 4
POOLED_SIZE = EMBEDDING_SIZE * (3 + SLICES) + 1  # pool()'s output: mean, max, spread, the slices, length
MODEL_FILE = "command_model.npz"


def pool(window: np.ndarray) -> np.ndarray:
    """Fixed-size summary of a (T, 96) embedding sequence (T ≥ 1)."""
    window = np.asarray(window, np.float32)
    if window.shape[0] == 0:
        window = np.zeros((1, window.shape[1] if window.ndim == 2 else 96), np.float32)
    parts = [window.mean(axis=0), window.max(axis=0), window.std(axis=0)]
    edges = np.linspace(0, window.shape[0], SLICES + 1)
    for k in range(SLICES):
        lo = int(np.floor(edges[k]))
        hi = max(lo + 1, int(np.ceil(edges[k + 1])))
        parts.append(window[lo:hi].mean(axis=0))
    parts.append(np.array([np.log(window.shape[0])], np.float32))
    return np.concatenate(parts).astype(np.float32)


def label_of(command: Command) -> str:
    """The class label of a command: intent plus its slot ("add_time:seconds=30")."""
    if not command.slots:
        return str(command.intent)
    slots = ",".join(f"{k}={v}" for k, v in sorted(command.slots.items()))
    return f"{command.intent}:{slots}"


def command_of(label: str) -> Command | None:
    """The command a class label stands for (None for "none")."""
    if label == NONE_LABEL:
        return None
    intent, _, slot_text = label.partition(":")
    slots: dict[str, int | str] = {}
    for item in filter(None, slot_text.split(",")):
        key, _, value = item.partition("=")
        slots[key] = int(value) if value.lstrip("-").isdigit() else value
    return Command(Intent(intent), slots, text="")


@dataclass(frozen=True)
class CommandModel:
    """Weights of the MLP and the feature standardization, with the class labels."""

    labels: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    meta: dict

    @property
    def none_index(self) -> int:
        return self.labels.index(NONE_LABEL)

    def probabilities(self, window: np.ndarray) -> np.ndarray:
        """Class probabilities for one segment's (T, 96) embeddings."""
        return self.probabilities_pooled(pool(window)[None, :])[0]

    def probabilities_pooled(self, pooled: np.ndarray) -> np.ndarray:
        h = (np.asarray(pooled, np.float32) - self.mean) / self.scale
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w + b
            if k < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        h = h - h.max(axis=1, keepdims=True)
        e = np.exp(h)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        arrays = {"mean": self.mean, "scale": self.scale}
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"w{k}"] = w.astype(np.float32)
            arrays[f"b{k}"] = b.astype(np.float32)
        meta = dict(self.meta, labels=list(self.labels), layers=len(self.weights))
        arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            np.savez_compressed(out, **arrays)

    @staticmethod
    def load(path: Path | None = None) -> "CommandModel":
        """The shipped model (``path`` None) or a model file."""
        source = Path(path) if path is not None else builtin_model_path()
        try:
            with np.load(source, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode())
                layers = int(meta["layers"])
                return CommandModel(
                    labels=tuple(meta["labels"]),
                    mean=data["mean"].astype(np.float32),
                    scale=data["scale"].astype(np.float32),
                    weights=tuple(data[f"w{k}"] for k in range(layers)),
                    biases=tuple(data[f"b{k}"] for k in range(layers)),
                    meta=meta,
                )
        except FileNotFoundError:
            raise RecognizerError(f"the neural command model {source} is missing",
                                  "reinstall voice-coach, or retrain it with scripts/train_command_model.py") from None
        except (KeyError, ValueError, OSError) as exc:
            raise RecognizerError(f"the neural command model {source} is damaged ({exc})",
                                  "reinstall voice-coach, or retrain it with scripts/train_command_model.py") from None


def builtin_model_path() -> Path:
    return Path(str(resources.files("voice_coach.recognition.neural") / "data" / MODEL_FILE))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
