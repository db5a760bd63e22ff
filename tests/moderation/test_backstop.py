"""The shipped lexical backstop: it loads, scores fast, and only ever raises a decision."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from moderation import Pipeline, Severity, backstop, crisis, harm
from moderation.normalize import normalize

PIPELINE = Pipeline()
# Phrasings no rule family covers, read as a crisis by the backstop alone.
RULE_MISSES = (
    "everything feels heavy and i just want it to be quiet forever",
    "i am so tired of all of it and i dont want to keep going",
)


def test_shipped_model_is_small_and_complete() -> None:
    assert backstop.MODEL_PATH.stat().st_size < 1_000_000
    raw = json.loads(backstop.MODEL_PATH.read_text(encoding="utf-8"))
    assert raw["train_batches"] == [1, 2, 3]  # later held-out batches stay unseen
    model = backstop.load()
    assert model.crisis.classes == backstop.CRISIS_CLASSES
    assert model.harm.classes[0] == "none"
    assert all(0.5 <= t < 1 for t in model.thresholds.values())


@pytest.mark.parametrize("text", RULE_MISSES)
def test_backstop_raises_what_the_rules_miss(text: str) -> None:
    rules, open_to_backstop = crisis.detect_rules(normalize(text))
    assert rules.severity is Severity.NONE and open_to_backstop
    assessment = PIPELINE.assess_rules(text)
    assert assessment.severity.rank >= Severity.LOW.rank
    assert any(c.startswith("backstop_") for c in assessment.crisis_cues)


@pytest.mark.parametrize(
    "text",
    [
        "i am not going to kill myself, i just need to vent",
        "my friend said she wants to die, what do i do",
        "i used to want to die, now im 3 years clean",
    ],
)
def test_backstop_never_overrides_a_rule_reading(text: str) -> None:
    rules, open_to_backstop = crisis.detect_rules(normalize(text))
    assert not open_to_backstop
    assert PIPELINE.assess_rules(text).severity is rules.severity


def test_backstop_yields_to_a_doubting_reader() -> None:
    """Where the semantic reader answered and finds a crisis unlikely, the word-counting
    backstop may not raise; where the reader is absent or unsure, it still does."""
    norm = normalize("i love sitting on the bench by the bridge feeding the ducks")
    assert crisis.detect(norm).severity.rank >= Severity.LOW.rank  # the backstop's false flag
    doubting = backstop.CrisisVote(p_crisis=0.2, p_severe=0.1, severity="none")
    assert crisis.detect(norm, doubting).severity is Severity.NONE
    unsure = backstop.CrisisVote(p_crisis=0.6, p_severe=0.3, severity="none")
    assert crisis.detect(norm, unsure).severity.rank >= Severity.LOW.rank


def test_backstop_never_lowers_a_rule_severity() -> None:
    text = "i took all my pills tonight"
    rules, _ = crisis.detect_rules(normalize(text))
    assert rules.severity is Severity.IMMINENT
    assert PIPELINE.assess_rules(text).severity is Severity.IMMINENT


def test_harm_backstop_never_raises_hate_or_doxxing() -> None:
    for text in ("as a muslim woman i am proud of who i am", "call me on 07700 900555"):
        scores = harm.score(text, normalize(text))
        rules, _ = harm.score_rules(text, normalize(text))
        assert scores["hate"] == rules["hate"] and scores["doxxing"] == rules["doxxing"]


def test_scoring_is_fast() -> None:
    norm = normalize("honestly i dont know how much more of this i can take, everything is grey")
    backstop.crisis_vote(norm)
    start = time.perf_counter()
    for _ in range(200):
        backstop.crisis_vote(norm)
        backstop.harm_vote(norm)
    assert (time.perf_counter() - start) / 200 < 0.0005


def test_missing_or_malformed_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(backstop.BackstopError, match="cannot load"):
        backstop.load(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"crisis": {"classes": ["none"]}}), encoding="utf-8")
    with pytest.raises(backstop.BackstopError):
        backstop.load(bad)
    wrong = tmp_path / "wrong.json"
    head = {"classes": ["a", "b", "c"], "bias": [0, 0, 0], "weights": {}}
    thresholds = {"crisis_low": 0.9, "crisis_high": 0.9, "harm": 0.9}
    wrong.write_text(json.dumps({"crisis": head, "harm": head, "thresholds": thresholds}))
    with pytest.raises(backstop.BackstopError, match="unexpected classes"):
        backstop.load(wrong)


def test_features_are_deterministic_and_cover_words_pairs_and_characters() -> None:
    feats = backstop.features(normalize("Wanna sleep forever"))
    assert feats == backstop.features(normalize("wanna sleep forever"))
    assert {"w:sleep", "b:sleep forever", "c: sle", "len:short"} <= set(feats)
