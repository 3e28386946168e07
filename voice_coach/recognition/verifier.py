"""The fused engine's verifier: how probable a candidate command is to be right, from its features.

Two shipped files: ``verifier.json`` (logistic regression, fitted without voice
profiles) and ``verifier_profile.json`` (boosted regression trees, used while a
voice profile is active: the profile's evidence is not linear, a segment close
to a take means much only when the model also leans that way).  Both are plain
JSON evaluated in pure Python; scikit-learn is needed only to fit them.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

from voice_coach.errors import RecognizerError

VERIFIER_FILE = "verifier.json"
PROFILE_VERIFIER_FILE = "verifier_profile.json"
FEATURES = ("p_label", "p_intent", "p_none", "neural_top", "sphinx_same", "sphinx_accepted", "sphinx_confidence",
            "agree", "log_speech_s", "noisy", "early", "is_stop", "distance", "coverage")
# With a voice profile the verifier also weighs the person's takes: the segment's closeness to
# their closest take of the candidate's command, and how much closer that is than to any other.
PROFILE_FEATURES = FEATURES + ("closeness", "closeness_margin")
_FIX = "reinstall voice-coach, or refit it with scripts/fit_verifier.py"


@dataclass(frozen=True)
class Tree:
    """One regression tree of a boosted ensemble.  Node k either splits (feature[k] ≥ 0: go to
    left[k] when the feature is ≤ threshold[k], else right[k]) or is a leaf (feature[k] == -1)
    adding value[k] to the log-odds."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def output(self, x: list[float]) -> float:
        k = 0
        while self.feature[k] >= 0:
            k = self.left[k] if x[self.feature[k]] <= self.threshold[k] else self.right[k]
        return self.value[k]

    @staticmethod
    def parse(data: dict, features: int) -> "Tree":
        tree = Tree(*(tuple(data[name]) for name in ("feature", "threshold", "left", "right", "value")))
        nodes = len(tree.feature)
        if not nodes or any(len(part) != nodes for part in (tree.threshold, tree.left, tree.right, tree.value)):
            raise ValueError("a tree's node lists differ in length")
        for k, f in enumerate(tree.feature):
            # children always come after their node, so a walk ends at a leaf
            if f >= features or (f >= 0 and not (k < tree.left[k] < nodes and k < tree.right[k] < nodes)):
                raise ValueError(f"a tree's node {k} points outside the tree")
        return tree


@dataclass(frozen=True)
class Verifier:
    """Probability (0–1) that a candidate is right: ``bias`` plus a linear part (``weights``, one
    per name in ``features``) plus boosted ``trees``, through the logistic function; with the
    decision thresholds (``stop_threshold`` for "stop"; ``early_threshold``, when set, for every
    candidate at an early look, before the speaker has finished: a sentence that starts with a
    command word looks most like that command then)."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    stop_threshold: float
    meta: dict
    features: tuple[str, ...] = FEATURES
    trees: tuple[Tree, ...] = ()
    early_threshold: float | None = None

    def needed(self, is_stop: bool, early: bool) -> float:
        """The probability a candidate must reach to be decided."""
        if early and self.early_threshold is not None:
            return self.early_threshold
        return self.stop_threshold if is_stop else self.threshold

    def probability(self, features: dict[str, float]) -> float:
        x = [features[name] for name in self.features]
        z = self.bias + sum(w * v for w, v in zip(self.weights, x)) + sum(tree.output(x) for tree in self.trees)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def save(self, path: Path) -> None:
        data = {"features": list(self.features), "weights": list(self.weights), "bias": self.bias,
                "threshold": self.threshold, "stop_threshold": self.stop_threshold, "meta": self.meta}
        if self.early_threshold is not None:
            data["early_threshold"] = self.early_threshold
        if self.trees:
            data["trees"] = [asdict(tree) for tree in self.trees]
        path.write_text(json.dumps(data, indent=None if self.trees else 1, sort_keys=True) + "\n")

    @staticmethod
    def load(path: Path | None = None) -> "Verifier":
        source = Path(path) if path is not None else builtin_verifier_path()
        try:
            data = json.loads(source.read_text())
            names = tuple(data["features"])
            weights = tuple(float(w) for w in data["weights"])
            trees = tuple(Tree.parse(tree, len(names)) for tree in data.get("trees", []))
            if names not in (FEATURES, PROFILE_FEATURES) or len(weights) not in ({0, len(names)} if trees else {len(names)}):
                raise ValueError("its features do not match this version")
            early = data.get("early_threshold")
            return Verifier(weights, float(data["bias"]), float(data["threshold"]), float(data["stop_threshold"]),
                            dict(data.get("meta", {})), names, trees, None if early is None else float(early))
        except FileNotFoundError:
            raise RecognizerError(f"the fusion verifier {source} is missing", _FIX) from None
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise RecognizerError(f"the fusion verifier {source} is damaged ({exc})", _FIX) from None


def builtin_verifier_path(profile: bool = False) -> Path:
    """The shipped verifier; ``profile``: the one fitted for listening with a voice profile."""
    name = PROFILE_VERIFIER_FILE if profile else VERIFIER_FILE
    return Path(str(resources.files("voice_coach.recognition.neural") / "data" / name))
