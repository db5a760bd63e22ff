"""Loading the functional suites and scoring them (shared by the tests and the bench)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
CRISIS_CASES = DATA / "crisis_cases.jsonl"
HARM_CASES = DATA / "harm_cases.jsonl"
# HateCheck (Röttger et al., ACL 2021), CC BY 4.0, shared outside the repo.
HATECHECK = Path(__file__).resolve().parents[3] / "shared/data/hatecheck/test_suite_cases.csv"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def rate(hits: int, total: int) -> float:
    return hits / total if total else 0.0
