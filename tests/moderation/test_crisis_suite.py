"""The functional crisis suite (tests/moderation/data/crisis_cases.jsonl) against the targets.

Targets (issue 4, item 7): recall >= 0.95 on high+imminent and >= 0.85 on low
(a higher severity counts as a hit), false crisis flags on benign talk <= 5%.
"""

from __future__ import annotations

from collections import Counter

import pytest

from moderation import Pipeline, Severity
from tests.moderation.suite import CRISIS_CASES, DATA, load_jsonl, rate

CASES = load_jsonl(CRISIS_CASES)
PIPELINE = Pipeline()


def _severity(text: str) -> Severity:
    return PIPELINE.assess_rules(text).severity


def test_suite_is_big_and_covers_every_cue_family() -> None:
    assert len(CASES) >= 200
    families = Counter(c["family"] for c in CASES)
    assert families["benign"] >= 60
    for family in (
        "negation",
        "idiom",
        "past",
        "third_party",
        "reminder",
        "quote",
        "slang",
        "evasion",
        "emoji",
        "multilingual",
        "danger_from_other",
        "goodbye",
        "means",
        "act",
        "passive",
        "self_harm",
        "misspelling",
    ):
        assert families[family] >= 1, family
    assert {c["severity"] for c in CASES} == {s.value for s in Severity}


def test_recall_and_false_crisis_rate_meet_targets(capsys: pytest.CaptureFixture[str]) -> None:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses: list[str] = []
    for case in CASES:
        expected, got = Severity(case["severity"]), _severity(case["text"])
        group = {"imminent": "high+imminent", "high": "high+imminent"}.get(expected, expected)
        group = "benign" if case["family"] == "benign" else group
        totals[group] += 1
        ok = got.rank >= expected.rank if expected.rank else got is Severity.NONE
        hits[group] += ok
        if not ok:
            misses.append(f"{expected.value}->{got.value}: {case['text']}")
    recall_high = rate(hits["high+imminent"], totals["high+imminent"])
    recall_low = rate(hits["low"], totals["low"])
    false_benign = 1 - rate(hits["benign"], totals["benign"])
    with capsys.disabled():
        print(
            f"\ncrisis suite: {len(CASES)} cases; recall high+imminent {recall_high:.3f} "
            f"(n={totals['high+imminent']}), low {recall_low:.3f} (n={totals['low']}); "
            f"false crisis on benign {false_benign:.3f} (n={totals['benign']}); "
            f"other negatives correct {rate(hits['none'], totals['none']):.3f} "
            f"(n={totals['none']})"
        )
    assert recall_high >= 0.95, misses
    assert recall_low >= 0.85, misses
    assert false_benign <= 0.05, misses


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        # A present plan and means survives negation and hedging elsewhere.
        ("I'm not ok, I have the pills ready", Severity.IMMINENT),
        ("I'm not going to lie, I have the rope ready", Severity.IMMINENT),
        # Negation directly on an imminent cue lowers it but never erases it.
        ("I'm not going to kill myself tonight, I promise", Severity.NONE),
        ("I haven't taken all my pills yet", Severity.LOW),
        # Recovery talk is none, unless the same clause says it is back.
        ("I used to cut", Severity.NONE),
        ("I used to cut and now I'm cutting again", Severity.HIGH),
        # Someone else in danger right now still reaches a human.
        ("my friend just told me she took all her pills", Severity.HIGH),
        ("my friend said she wants to die, what do I do?", Severity.NONE),
    ],
)
def test_context_lowers_but_never_erases(text: str, severity: Severity) -> None:
    assert _severity(text) is severity


def test_third_party_and_reminders_are_marked() -> None:
    assert (
        "third_party_concern"
        in PIPELINE.assess_rules("my friend said she wants to die — what do I do?").crisis_cues
    )
    assert (
        "quoted"
        in PIPELINE.assess_rules(
            "Reminder: if you feel like 'I want to die', reach out"
        ).crisis_cues
    )


def test_everyday_chat_that_shares_crisis_words_is_rarely_flagged() -> None:
    """rules_benign_cases.jsonl: 324 everyday lines (pills, sleep, goodbyes to jobs,
    knives in kitchens) written to find the rules' false flags. Its misses were read
    while writing rules, so this guards against regressions; it is not a fresh estimate
    (tests/moderation/test_heldout.py is). Not used to train the models: a semantic
    reader trained with it did worse on calibration batch 6 (docs/moderation.md)."""
    cases = load_jsonl(DATA / "rules_benign_cases.jsonl")
    flagged = [c["text"] for c in cases if _severity(c["text"]) is not Severity.NONE]
    print(f"\neveryday look-alikes flagged by the rules: {len(flagged)}/{len(cases)}")
    assert len(cases) >= 300
    assert len(flagged) <= 0.03 * len(cases), flagged


def test_round7_lines_guard_the_rules_written_from_them(capsys: pytest.CaptureFixture[str]) -> None:
    """The round-7 rows of train_cases.jsonl: 480 training-only lines written by someone
    who had read none of our rules (many crises said without a crisis word, many benign
    look-alikes). Rule families were written from their misses, so these rates are a
    regression guard, not an estimate (docs/moderation.md, round 7)."""
    cases = [c for c in load_jsonl(DATA / "train_cases.jsonl") if c.get("source") == "round7"]
    benign = [c["text"] for c in cases if c["severity"] == "none"]
    severe = [c for c in cases if c["severity"] in ("high", "imminent")]
    flagged = [t for t in benign if _severity(t) is not Severity.NONE]
    caught = sum(_severity(c["text"]).rank >= Severity(c["severity"]).rank for c in severe)
    with capsys.disabled():
        print(
            f"\nround-7 lines, rules only: high+imminent recall {caught / len(severe):.3f} "
            f"(n={len(severe)}); benign flagged {len(flagged)}/{len(benign)}"
        )
    assert len(cases) >= 450
    assert caught >= 0.5 * len(severe)
    assert len(flagged) <= 0.03 * len(benign), flagged
