"""The harm suite (tests/moderation/data/harm_cases.jsonl) and HateCheck, rules only.

Targets (issue 4, item 7): harmful recall >= 0.85 with <= 5% false holds.
HateCheck: Röttger et al., "HateCheck: Functional Tests for Hate Speech Detection
Models", ACL 2021, CC BY 4.0. Rules without a model miss much implicit hate
(that is detoxify's job), so its hateful recall is reported, not asserted; the
non-hateful functionalities must not be held.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from moderation import CATEGORIES, Action, Pipeline
from tests.moderation.conftest import ScoresFor
from tests.moderation.suite import HARM_CASES, HATECHECK, load_jsonl, rate

PIPELINE = Pipeline()
CASES = load_jsonl(HARM_CASES)
# Non-hateful HateCheck functionalities that must not be held by our rules.
# target_indiv_nh ("You are a rat") and target_group_nh ("protesters should be
# shot") are abuse and threats outside protected groups: holding them is intended.
MUST_PASS = (
    "counter_quote_nh",
    "counter_ref_nh",
    "ident_neutral_nh",
    "ident_pos_nh",
    "negate_neg_nh",
    "profanity_nh",
    "slur_reclaimed_nh",
    "slur_homonym_nh",
    "target_obj_nh",
)


def test_harm_suite_meets_targets(capsys: pytest.CaptureFixture[str]) -> None:
    harmful = [c for c in CASES if c["harmful"]]
    benign = [c for c in CASES if not c["harmful"]]
    assert len(harmful) >= 80 and len(benign) >= 80
    assert {c["category"] for c in harmful} == set(CATEGORIES)  # every category covered
    caught = [
        c for c in harmful if c["category"] in PIPELINE.assess_rules(c["text"]).harmful_categories
    ]
    held = [c["text"] for c in benign if PIPELINE.assess_rules(c["text"]).action is Action.HOLD]
    recall, false_holds = rate(len(caught), len(harmful)), rate(len(held), len(benign))
    per_cat = Counter(c["category"] for c in caught)
    with capsys.disabled():
        print(
            f"\nharm suite: recall {recall:.3f} (n={len(harmful)}), false holds "
            f"{false_holds:.3f} (n={len(benign)}); caught per category {dict(per_cat)}"
        )
    assert recall >= 0.85
    assert false_holds <= 0.05, held


@pytest.mark.skipif(not HATECHECK.exists(), reason=f"HateCheck not found at {HATECHECK}")
def test_hatecheck_non_hateful_is_not_held(capsys: pytest.CaptureFixture[str]) -> None:
    totals: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    with HATECHECK.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            func = row["functionality"]
            totals[func] += 1
            flagged[func] += PIPELINE.assess_rules(row["test_case"]).harmful
    hateful = [f for f in totals if f.endswith("_h")]
    recall = rate(sum(flagged[f] for f in hateful), sum(totals[f] for f in hateful))
    with capsys.disabled():
        print(f"\nHateCheck (rules only): hateful recall {recall:.3f}")
        for func in sorted(totals):
            print(f"  {func:20s} held {rate(flagged[func], totals[func]):.2f} (n={totals[func]})")
    assert set(MUST_PASS) <= set(totals)
    for func in MUST_PASS:
        assert rate(flagged[func], totals[func]) <= 0.05, func
    # Rules alone are a floor, not a hate classifier: explicit hate is mostly caught.
    assert recall >= 0.4


@pytest.mark.skipif(not HATECHECK.exists(), reason=f"HateCheck not found at {HATECHECK}")
def test_hatecheck_with_the_semantic_reader(
    semantic_scores: ScoresFor, capsys: pytest.CaptureFixture[str]
) -> None:
    """The semantic reader never raises hate itself; it must not hold identity talk either."""
    with HATECHECK.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    scores = semantic_scores([r["test_case"] for r in rows])
    totals: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for row in rows:
        totals[row["functionality"]] += 1
        found = PIPELINE.assess_rules(row["test_case"], scores=scores[row["test_case"]])
        held[row["functionality"]] += found.harmful
    hateful = [f for f in totals if f.endswith("_h")]
    recall = rate(sum(held[f] for f in hateful), sum(totals[f] for f in hateful))
    with capsys.disabled():
        print(f"\nHateCheck (rules + semantic reader): held when hateful {recall:.3f}")
        for func in MUST_PASS:
            print(f"  {func:20s} held {rate(held[func], totals[func]):.2f} (n={totals[func]})")
    for func in MUST_PASS:
        assert rate(held[func], totals[func]) <= 0.05, func
