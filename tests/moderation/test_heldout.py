"""Held-out evaluation: cases written before reading the rules, never tuned case by case.

`heldout_cases.jsonl` (crisis, same format as the crisis suite) and
`heldout_harm_cases.jsonl` (harm, same format as the harm suite) were written as
people in a peer-support chat write: lower case, typos, slang, indirect phrasing, and
a large benign set sharing the vocabulary. Rule changes must be general (families of
phrasing); a miss here is a hint about a family, not a sentence to special-case.

Each case has a `batch`. Batches 1 and 2 were each written before the rule changes
they then guided: the targets are asserted on them, as regression tests. Batch 3 was
measured once untuned, then became training data for the lexical backstop
(moderation/backstop.py, trained on batches 1-3). Batch 4 (personas: teenagers, older
adults, recovery, non-native English, very short, split, metaphors, self-harm
euphemisms, danger from others) was measured once, then guided the compositional
families (crisis_compose.py). Batch 5 was written with batch 4, before any rule was
read, and measured once at the end: its rates are the honest estimate for unseen
text. Batch 6 is the semantic reader's calibration batch. Batch 7 (199 crisis-format,
80 harm; more voices: Pidgin, Indian and Irish English, older adults) was written by
someone who had read none of the data, rules or docs, and committed before any
measurement; it was then looked at in aggregate (rates only, no case read) while the
round-4 changes were made. Batch 8 (200 crisis-format, 78 harm) was written the same
way and committed before the round-5 training data was used. Batch 9 (196 crisis-format,
79 harm; farmers, veterans, new parents, Spanish/Polish/Filipino English, a few lines in
Spanish, French and Portuguese) was written the same way at the start of round 7 and
committed before any measurement: the freshest estimate. Keep it that way; add new
cases as a new batch.

Targets (issue 4, item 7): crisis recall >= 0.95 on high+imminent and >= 0.85 on low
(a higher severity counts as a hit, a lower one does not), false crisis flags on
benign talk <= 5%, harmful recall >= 0.85 with <= 5% false holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from moderation import Action, Pipeline, Severity
from tests.moderation.conftest import ScoresFor
from tests.moderation.suite import DATA, load_jsonl, rate

ALL_CRISIS = load_jsonl(DATA / "heldout_cases.jsonl")
ALL_HARM = load_jsonl(DATA / "heldout_harm_cases.jsonl")
TUNED_BATCHES = frozenset({1, 2})
REPORTED_BATCHES = (3, 4, 5, 6, 7, 8, 9)  # printed, not asserted (see the module docstring)
# Batches the semantic reader was trained on (moderation/train_semantic.py): its
# honest numbers are those of the others.
SEMANTIC_TRAINED = frozenset({1, 2, 3, 4})
Scores = dict[str, dict[str, float]]
CRISIS = [c for c in ALL_CRISIS if c["batch"] in TUNED_BATCHES]
HARM = [c for c in ALL_HARM if c["batch"] in TUNED_BATCHES]
PIPELINE = Pipeline()


@dataclass(frozen=True)
class CrisisRates:
    high: float  # expected high/imminent, got at least the expected severity
    high_flagged: float  # expected high/imminent, got any crisis severity
    low: float
    benign_false: float
    n: Counter[str]
    misses: list[str]


def crisis_rates(cases: list[dict[str, Any]], scores: Scores | None = None) -> CrisisRates:
    hits: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses: list[str] = []
    for case in cases:
        expected = Severity(case["severity"])
        got = _assess(case["text"], scores).severity
        group = "high+imminent" if expected.rank >= 2 else expected.value
        totals[group] += 1
        ok = got.rank >= expected.rank if expected.rank else got is Severity.NONE
        hits[group] += ok
        flagged[group] += got is not Severity.NONE
        if not ok:
            misses.append(f"{expected.value}->{got.value} [{case['family']}]: {case['text']}")
    return CrisisRates(
        high=rate(hits["high+imminent"], totals["high+imminent"]),
        high_flagged=rate(flagged["high+imminent"], totals["high+imminent"]),
        low=rate(hits["low"], totals["low"]),
        benign_false=rate(flagged["none"], totals["none"]),
        n=totals,
        misses=misses,
    )


def _assess(text: str, scores: Scores | None) -> Any:
    return PIPELINE.assess_rules(text, scores=scores[text] if scores else None)


def harm_rates(
    cases: list[dict[str, Any]], crisis: list[dict[str, Any]], scores: Scores | None = None
) -> tuple[float, float, float, list[str]]:
    """(harmful recall, false holds on benign harm cases, holds on crisis cases, misses)."""
    held = {c["text"]: _assess(c["text"], scores).harmful for c in cases}
    harmful = [c for c in cases if c["harmful"]]
    benign = [c for c in cases if not c["harmful"]]
    misses = [
        f"harmful={c['harmful']} [{c['category']}]: {c['text']}"
        for c in cases
        if held[c["text"]] != c["harmful"]
    ]
    crisis_held = sum(_assess(c["text"], scores).action is Action.HOLD for c in crisis)
    return (
        rate(sum(held[c["text"]] for c in harmful), len(harmful)),
        rate(sum(held[c["text"]] for c in benign), len(benign)),
        rate(crisis_held, len(crisis)),
        misses,
    )


def test_heldout_sets_are_big_enough() -> None:
    severities = Counter(c["severity"] for c in CRISIS)
    assert len(CRISIS) >= 250
    batches = {1, 2, 3, 4, 5, 6, 7, 8, 9}
    assert {c["batch"] for c in ALL_CRISIS} == {c["batch"] for c in ALL_HARM} == batches
    batch4 = [c for c in ALL_CRISIS if c["batch"] == 4]
    assert len(batch4) >= 200 and sum(c["severity"] == "none" for c in batch4) >= 90
    assert sum(c["batch"] == 4 for c in ALL_HARM) >= 80
    assert severities["none"] >= 100
    assert {c["severity"] for c in CRISIS} == {s.value for s in Severity}
    assert len(HARM) >= 80
    assert 0.3 <= rate(sum(c["harmful"] for c in HARM), len(HARM)) <= 0.7


def _crisis_line(label: str, r: CrisisRates) -> str:
    return (
        f"{label}: recall high+imminent {r.high:.3f} (flagged at all {r.high_flagged:.3f}, "
        f"n={r.n['high+imminent']}), low {r.low:.3f} (n={r.n['low']}); false crisis on "
        f"benign {r.benign_false:.3f} (n={r.n['none']})"
    )


def test_heldout_crisis_meets_targets(capsys: pytest.CaptureFixture[str]) -> None:
    r = crisis_rates(CRISIS)
    with capsys.disabled():
        print("\n" + _crisis_line(f"held-out crisis, batches 1-2 ({len(CRISIS)})", r))
        for batch in REPORTED_BATCHES:
            cases = [c for c in ALL_CRISIS if c["batch"] == batch]
            print(
                _crisis_line(f"held-out crisis, batch {batch} ({len(cases)})", crisis_rates(cases))
            )
    assert r.high >= 0.95, r.misses
    assert r.low >= 0.85, r.misses
    assert r.benign_false <= 0.05, r.misses


def test_heldout_harm_meets_targets(capsys: pytest.CaptureFixture[str]) -> None:
    recall, false_holds, crisis_held, misses = harm_rates(HARM, CRISIS)
    with capsys.disabled():
        print(
            f"\nheld-out harm, batches 1-2 ({len(HARM)}): harmful recall {recall:.3f}, false "
            f"holds {false_holds:.3f}; crisis messages held {crisis_held:.3f} (n={len(CRISIS)})"
        )
        for batch in REPORTED_BATCHES:
            r = harm_rates(
                [c for c in ALL_HARM if c["batch"] == batch],
                [c for c in ALL_CRISIS if c["batch"] == batch],
            )
            print(
                f"held-out harm, batch {batch}: harmful recall {r[0]:.3f}, false holds "
                f"{r[1]:.3f}; crisis messages held {r[2]:.3f}"
            )
    assert recall >= 0.85, misses
    assert false_holds <= 0.05, misses
    # Someone in crisis must reach the room: rules must not hold their words as harm.
    assert crisis_held <= 0.05, misses


def test_heldout_with_the_semantic_reader(
    semantic_scores: ScoresFor, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rules + backstop + semantic reader, per batch; targets asserted on batches 1-2."""
    scores = semantic_scores([c["text"] for c in ALL_CRISIS + ALL_HARM])
    with capsys.disabled():
        print()
        for batch in (*sorted(TUNED_BATCHES), *REPORTED_BATCHES):
            cases = [c for c in ALL_CRISIS if c["batch"] == batch]
            seen = "trained on" if batch in SEMANTIC_TRAINED else "unseen"
            label = f"with semantic, batch {batch} ({seen}, {len(cases)})"
            print(_crisis_line(label, crisis_rates(cases, scores)))
            h = harm_rates([c for c in ALL_HARM if c["batch"] == batch], cases, scores)
            print(f"  harm: recall {h[0]:.3f}, false holds {h[1]:.3f}; crisis held {h[2]:.3f}")
    r = crisis_rates(CRISIS, scores)
    assert r.high >= 0.95 and r.low >= 0.85 and r.benign_false <= 0.05, r.misses
    recall, false_holds, crisis_held, misses = harm_rates(HARM, CRISIS, scores)
    assert recall >= 0.85 and false_holds <= 0.05 and crisis_held <= 0.05, misses
