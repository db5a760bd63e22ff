"""Latency of the rule checks (Pipeline.assess_rules) per message.

Usage: .venv/bin/python bench/bench_rules.py [--rounds N]
Corpus: the crisis and harm suites plus every 3rd HateCheck case when present.
Target (issue 4): p99 <= 2 ms per message.
"""

from __future__ import annotations

import argparse
import csv
import gc
import time
from pathlib import Path

from moderation import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/moderation/data"
HATECHECK = ROOT.parent / "shared/data/hatecheck/test_suite_cases.csv"


def corpus() -> list[str]:
    import json

    texts = []
    for name in ("crisis_cases.jsonl", "harm_cases.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    if HATECHECK.exists():
        with HATECHECK.open(encoding="utf-8") as fh:
            texts += [row["test_case"] for row in csv.DictReader(fh)][::3]
    # A long message too: rules cost grows with length.
    texts.append(" ".join(texts[:40]))
    return texts


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    pipeline, texts = Pipeline(), corpus()
    for text in texts:  # warm up regex caches
        pipeline.assess_rules(text)
    gc.disable()
    per_message: list[list[float]] = [[] for _ in texts]
    cpu: list[float] = []
    for _ in range(rounds):
        for i, text in enumerate(texts):
            start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            pipeline.assess_rules(text)
            cpu.append((time.thread_time_ns() - start_cpu) / 1000)
            per_message[i].append((time.perf_counter_ns() - start) / 1000)
    gc.enable()
    raw = sorted(t for ts in per_message for t in ts)
    cpu.sort()
    # The machine is shared: the best of N rounds per message removes preemption by
    # other processes and shows what the rules themselves cost.
    best = sorted(min(ts) for ts in per_message)
    print(f"assess_rules over {len(texts)} messages x {rounds} rounds (target: p99 <= 2000 us)")
    for label, values in (
        ("wall, every call", raw),
        ("cpu, every call", cpu),
        ("wall, best", best),
    ):
        cells = "  ".join(
            f"{name} {percentile(values, q):7.1f} us"
            for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
        )
        print(f"  {label:17s} {cells}  max {values[-1]:8.1f} us")


if __name__ == "__main__":
    main()
