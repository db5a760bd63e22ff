"""A shipped lexical model that backs up the crisis and harm rules.

Rules generalise by family; people in crisis keep finding phrasings no family
anticipated ("running out of reasons to stay"). This is a small softmax logistic
regression over normalised word uni/bigrams and in-word character 3-5-grams,
trained offline by `moderation/train_backstop.py` on the labelled development and
held-out cases, and shipped as `moderation/data/backstop.json`. It is not detoxify
and needs no dependency or download.

It can only *raise* a decision (crisis.py and harm.py apply it): a crisis severity
the rules rated lower, or a hold the rules did not make. Thresholds were tuned by
cross-validation for a low benign false-flag rate and are stored with the weights.

The weights load lazily, once, on first use; `load()` warms them up. A missing or
malformed file raises `BackstopError`: the backstop is part of the safety net, so it
is never silently skipped.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache, reduce
from itertools import repeat
from operator import add, mul
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "data" / "backstop.json"
CRISIS_CLASSES = ("none", "low", "high")
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9.,;:!?\"'()\-]")
_CHAR_N = (3, 4, 5)
_THRESHOLDS = ("crisis_low", "crisis_high", "harm")


class BackstopError(RuntimeError):
    """The shipped backstop model is missing or malformed."""


def features(norm: str) -> list[str]:
    """Feature names for normalised text: words, word pairs, in-word character n-grams.

    Shared by training and scoring, so any change here needs a retrained model.
    """
    words = _WORD.findall(norm)
    feats = {f"w:{w}" for w in words}
    padded = ["<s>", *words, "</s>"]
    feats.update(f"b:{a} {b}" for a, b in zip(padded, padded[1:], strict=False))
    for w in words:
        feats.update(_char_grams(w))
    feats.add("len:short" if len(words) <= 4 else "len:long")
    return sorted(feats)


# Chat reuses a small vocabulary: a word's n-grams are built once, not per message.
@lru_cache(maxsize=16384)
def _char_grams(word: str) -> tuple[str, ...]:
    if not (word.isalpha() and len(word) > 2):
        return ()
    token = f" {word} "
    return tuple(f"c:{token[i : i + n]}" for n in _CHAR_N for i in range(len(token) - n + 1))


# The crisis and harm heads read the same message one after the other: extract once.
@lru_cache(maxsize=32)
def _features(norm: str) -> list[str]:
    return features(norm)


@dataclass(frozen=True)
class Head:
    """One softmax classifier: class names, biases and per-feature weight rows."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, list[float]]

    def probs(self, feats: list[str]) -> list[float]:
        scale = 1.0 / math.sqrt(len(feats)) if feats else 1.0
        rows = [row for row in map(self.weights.get, feats) if row is not None]
        # Per class, bias + w1*scale + w2*scale + ... added left to right in feature
        # order, as the per-feature loop this replaced did, so every probability is
        # bit-identical (reduce, not sum(): 3.12's compensated sum rounds differently).
        logits = [
            reduce(add, map(mul, column, repeat(scale)), bias)
            for bias, column in zip(
                self.bias, zip(*rows, strict=True) if rows else [()] * len(self.bias), strict=True
            )
        ]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return [e / total for e in exps]


@dataclass(frozen=True)
class Model:
    crisis: Head
    harm: Head
    thresholds: dict[str, float]


@dataclass(frozen=True)
class CrisisVote:
    p_crisis: float  # low or more
    p_severe: float  # high or more
    severity: str  # "none", "low", "high" (or "imminent", semantic.py): the thresholds' reading


@dataclass(frozen=True)
class HarmVote:
    p_harmful: float
    category: str | None  # the likeliest harm category when p_harmful clears the threshold


def crisis_vote(norm: str) -> CrisisVote:
    """The backstop's crisis reading of normalised text."""
    model = load()
    p = dict(zip(model.crisis.classes, model.crisis.probs(_features(norm)), strict=True))
    p_severe = p["high"]
    p_crisis = p["low"] + p_severe
    level = "none"
    if p_severe >= model.thresholds["crisis_high"]:
        level = "high"
    elif p_crisis >= model.thresholds["crisis_low"]:
        level = "low"
    return CrisisVote(p_crisis, p_severe, level)


def harm_vote(norm: str) -> HarmVote:
    """The backstop's harm reading of normalised text."""
    model = load()
    p = dict(zip(model.harm.classes, model.harm.probs(_features(norm)), strict=True))
    p_harmful = 1.0 - p["none"]
    if p_harmful < model.thresholds["harm"]:
        return HarmVote(p_harmful, None)
    category = max((c for c in model.harm.classes if c != "none"), key=lambda c: p[c])
    return HarmVote(p_harmful, category)


@cache
def load(path: Path = MODEL_PATH) -> Model:
    """The model at `path`, parsed once per process."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        model = Model(
            crisis=_head(raw["crisis"]),
            harm=_head(raw["harm"]),
            thresholds={k: float(raw["thresholds"][k]) for k in _THRESHOLDS},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackstopError(f"cannot load backstop model {path}: {exc}") from exc
    if model.crisis.classes != CRISIS_CLASSES or model.harm.classes[0] != "none":
        raise BackstopError(f"backstop model {path} has unexpected classes")
    return model


def _head(raw: dict[str, object]) -> Head:
    classes = tuple(str(c) for c in raw["classes"])  # type: ignore[attr-defined]
    bias = tuple(float(b) for b in raw["bias"])  # type: ignore[attr-defined]
    weights: dict[str, list[float]] = raw["weights"]  # type: ignore[assignment]
    if len(bias) != len(classes) or any(len(r) != len(classes) for r in weights.values()):
        raise ValueError("weight rows do not match the classes")
    return Head(classes, bias, weights)
