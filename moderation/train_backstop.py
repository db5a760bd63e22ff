"""Train the backstop (backstop.py) offline and write `moderation/data/backstop.json`.

Usage: .venv/bin/python -m moderation.train_backstop [--out PATH] [--folds 5]

Training data: the development suites (`tests/moderation/data/crisis_cases.jsonl`,
`harm_cases.jsonl`), the held-out batches listed in TRAIN_BATCHES, and the
training-only cases (`train_cases.jsonl`, `train_harm_cases.jsonl`: many everyday
messages, which the first backstop, trained without them, read as crises). Later batches
are the honest test of the shipped model and must never be added here. Crisis cases
are harm negatives and vice versa (a harm case the rules read as a crisis is left out
of the crisis set: its crisis label is unknown).

Thresholds are tuned on out-of-fold probabilities: the lowest thresholds at which the
backstop, applied where the rules leave room for it, adds at most MAX_ADDED_FALSE of
false crisis flags on benign cases and of false holds on benign harm cases.
A pure-Python script: no dependency, deterministic (fixed seed), about a minute.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation import backstop, crisis, harm
from moderation.normalize import normalize
from moderation.types import CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/moderation/data"
TRAIN_BATCHES = frozenset({1, 2, 3})
MAX_ADDED_FALSE = 0.02
# A lexical model ties identity words and swearing to harm: below this, HateCheck's
# non-hateful identity, profanity and group statements were held over 5% of the time.
HARM_FLOOR = 0.85
# Out-of-fold false flags come from the training distribution; on fresh text the
# backstop flagged far more (batch 6 everyday messages at 0.86: "reading about
# mindfulness" read as high). The first backstop's crisis thresholds were 0.95.
CRISIS_FLOOR = 0.95
MIN_DF = 2
EPOCHS = 25
L2 = 1e-4
RATE = 0.5
SEED = 20240607


@dataclass
class Example:
    norm: str
    label: int
    open_to_backstop: bool  # the rules leave room for the backstop on this text
    rules_positive: bool  # the rules alone flag (crisis) or hold (harm) it


def _jsonl(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _train_rows(name: str) -> list[dict[str, Any]]:
    return [r for r in _jsonl(name) if r.get("batch", 1) in TRAIN_BATCHES]


def _crisis_rows() -> list[dict[str, Any]]:
    # train_cases.jsonl: written for training only (the semantic reader's too).
    rows = _jsonl("crisis_cases.jsonl") + _train_rows("heldout_cases.jsonl")
    return rows + _jsonl("train_cases.jsonl")


def _harm_rows() -> list[dict[str, Any]]:
    rows = _jsonl("harm_cases.jsonl") + _train_rows("heldout_harm_cases.jsonl")
    return rows + _jsonl("train_harm_cases.jsonl")


def crisis_examples() -> list[Example]:
    out = []
    for row in _crisis_rows():
        label = min(2, ["none", "low", "high", "imminent"].index(row["severity"]))
        out.append(_crisis_example(row["text"], label))
    for row in _harm_rows():
        example = _crisis_example(row["text"], 0)
        if not example.rules_positive:
            out.append(example)
    return out


def _crisis_example(text: str, label: int) -> Example:
    norm = normalize(text)
    result, open_ = crisis.detect_rules(norm)
    return Example(norm, label, open_, result.severity.rank > 0)


def harm_examples() -> list[Example]:
    classes = ("none", *CATEGORIES)
    out = []
    for row in _harm_rows():
        label = classes.index(row["category"]) if row["harmful"] else 0
        out.append(_harm_example(row["text"], label))
    for row in _crisis_rows():
        example = _harm_example(row["text"], 0)
        if not example.rules_positive:  # "go kill yourself" in the crisis suite
            out.append(example)
    return out


def _harm_example(text: str, label: int) -> Example:
    norm = normalize(text)
    scores, open_ = harm.score_rules(text, norm)
    return Example(norm, label, open_, max(scores.values()) >= 0.6)


def train(examples: Sequence[Example], n_classes: int) -> dict[str, Any]:
    """Softmax regression by AdaGrad; features seen in fewer than MIN_DF texts are dropped."""
    docs = [backstop.features(e.norm) for e in examples]
    df: dict[str, int] = {}
    for feats in docs:
        for f in feats:
            df[f] = df.get(f, 0) + 1
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    index = {f: i for i, f in enumerate(vocab)}
    encoded = [
        ([index[f] for f in feats if f in index], 1 / math.sqrt(len(feats))) for feats in docs
    ]
    weights = [[0.0] * n_classes for _ in vocab]
    grads = [[1e-8] * n_classes for _ in vocab]
    bias, bias_grad = [0.0] * n_classes, [1e-8] * n_classes
    order = list(range(len(examples)))
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            ids, scale = encoded[i]
            probs = _softmax(bias, weights, ids, scale)
            for k in range(n_classes):
                g = probs[k] - (k == examples[i].label)
                bias_grad[k] += g * g
                bias[k] -= RATE * g / math.sqrt(bias_grad[k])
                for j in ids:
                    gj = g * scale + L2 * weights[j][k]
                    grads[j][k] += gj * gj
                    weights[j][k] -= RATE * gj / math.sqrt(grads[j][k])
    kept = {
        f: [round(w, 3) for w in weights[i]]
        for f, i in index.items()
        if max(abs(w) for w in weights[i]) >= 0.01
    }
    return {"bias": [round(b, 4) for b in bias], "weights": kept}


def _softmax(
    bias: list[float], weights: list[list[float]], ids: list[int], s: float
) -> list[float]:
    logits = list(bias)
    for j in ids:
        for k, w in enumerate(weights[j]):
            logits[k] += w * s
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def out_of_fold(examples: list[Example], n_classes: int, folds: int) -> list[list[float]]:
    """Class probabilities for every example from a model that did not see it."""
    order = list(range(len(examples)))
    random.Random(SEED).shuffle(order)
    probs: list[list[float]] = [[] for _ in examples]
    for fold in range(folds):
        test = set(order[fold::folds])
        raw = train([e for i, e in enumerate(examples) if i not in test], n_classes)
        head = backstop.Head(tuple(map(str, range(n_classes))), tuple(raw["bias"]), raw["weights"])
        for i in test:
            probs[i] = head.probs(backstop.features(examples[i].norm))
    return probs


def lowest_threshold(
    examples: list[Example], scores: list[float], benign: Callable[[Example], bool]
) -> float:
    """Lowest threshold adding at most MAX_ADDED_FALSE false positives among benign cases."""
    pool = [(s, e) for s, e in zip(scores, examples, strict=True) if benign(e)]
    for step in range(30, 100):
        t = step / 100
        added = sum(s >= t and e.open_to_backstop and not e.rules_positive for s, e in pool)
        if added <= MAX_ADDED_FALSE * len(pool):
            return t
    return 0.99


def tune(
    crisis_ex: list[Example],
    crisis_p: list[list[float]],
    harm_ex: list[Example],
    harm_p: list[list[float]],
) -> dict[str, float]:
    p_crisis = [p[1] + p[2] for p in crisis_p]
    low = lowest_threshold(crisis_ex, p_crisis, lambda e: e.label == 0)
    high = lowest_threshold(crisis_ex, [p[2] for p in crisis_p], lambda e: e.label < 2)
    harm_t = lowest_threshold(harm_ex, [1 - p[0] for p in harm_p], lambda e: e.label == 0)
    low = max(low, CRISIS_FLOOR)
    return {"crisis_low": low, "crisis_high": max(high, low), "harm": max(harm_t, HARM_FLOOR)}


def report(name: str, examples: list[Example], scores: list[float], t: float, pos: int) -> None:
    """Out-of-fold recall of the backstop alone, and on what the rules missed."""
    positives = [(s, e) for s, e in zip(scores, examples, strict=True) if e.label >= pos]
    missed = [(s, e) for s, e in positives if not e.rules_positive]
    alone = sum(s >= t for s, _ in positives) / max(1, len(positives))
    print(
        f"{name}: threshold {t:.2f}, out-of-fold backstop-alone recall {alone:.3f} "
        f"(n={len(positives)}), rescues {sum(s >= t for s, _ in missed)}/{len(missed)} rule misses"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=backstop.MODEL_PATH)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    crisis_ex, harm_ex = crisis_examples(), harm_examples()
    harm_classes = ("none", *CATEGORIES)
    crisis_p = out_of_fold(crisis_ex, 3, args.folds)
    harm_p = out_of_fold(harm_ex, len(harm_classes), args.folds)
    thresholds = tune(crisis_ex, crisis_p, harm_ex, harm_p)
    report("crisis low+", crisis_ex, [p[1] + p[2] for p in crisis_p], thresholds["crisis_low"], 1)
    report("crisis high+", crisis_ex, [p[2] for p in crisis_p], thresholds["crisis_high"], 2)
    report("harm", harm_ex, [1 - p[0] for p in harm_p], thresholds["harm"], 1)
    model = {
        "about": "Hearth moderation backstop: softmax regression over word 1-2-grams and "
        "character 3-5-grams (moderation/train_backstop.py). Not detoxify.",
        "train_batches": sorted(TRAIN_BATCHES),
        "thresholds": thresholds,
        "crisis": {"classes": list(backstop.CRISIS_CLASSES), **train(crisis_ex, 3)},
        "harm": {"classes": list(harm_classes), **train(harm_ex, len(harm_classes))},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB), thresholds {thresholds}")


if __name__ == "__main__":
    main()
