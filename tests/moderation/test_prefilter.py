"""The literal pre-filters may skip a regex only where it cannot match."""

from __future__ import annotations

import re

import pytest

from moderation import crisis, harm_lexicon
from moderation.normalize import normalize
from moderation.prefilter import Prefilter, presence_check, required_literals
from tests.moderation.suite import CRISIS_CASES, HARM_CASES, load_jsonl


def test_required_literals_follow_the_parse_tree() -> None:
    pattern = re.compile(r"\bwant(?:s|ed)? to (?:die|disappear)\b")
    assert required_literals(pattern) == frozenset(
        f"{verb} to {what}" for verb in ("want", "wants", "wanted") for what in ("die", "disappear")
    )


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"\w+ing", {"ing"}),
        # Case-blind parts give no literal; the case-sensitive rest still does.
        (r"(?i:kill) me", {" me"}),
        (r"(?i)kill", None),
        # An empty alternative or a character class: nothing is certain to be consumed.
        (r"(?:kill )?me|", None),
        (r"[a-z]{3}", None),
    ],
)
def test_required_literals_are_only_what_every_match_consumes(
    pattern: str, required: set[str] | None
) -> None:
    expected = None if required is None else frozenset(required)
    assert required_literals(re.compile(pattern)) == expected


@pytest.mark.parametrize("text", ["KILL me", "killing it", "xyz", ""])
def test_filters_never_skip_a_pattern_that_matches(text: str) -> None:
    patterns = [re.compile(p) for p in (r"\w+ing", r"(?i:kill) me", r"(?i)kill", r"[a-z]{3}")]
    matching = [i for i, p in enumerate(patterns) if p.search(text)]
    assert set(matching) <= set(Prefilter(patterns).candidates(text))
    assert all(presence_check(patterns[i])(text) for i in matching)


def test_no_cue_or_rule_that_matches_a_suite_message_is_skipped() -> None:
    families = {
        "crisis": [cue.pattern for cue in crisis._CUES],
        "harm": [rule.pattern for rule in harm_lexicon.RULES],
    }
    texts = [normalize(c["text"]) for c in load_jsonl(CRISIS_CASES) + load_jsonl(HARM_CASES)]
    for name, patterns in families.items():
        filter_ = Prefilter(patterns)
        kept = 0
        for text in texts:
            candidates = set(filter_.candidates(text))
            matching = {i for i, p in enumerate(patterns) if p.search(text)}
            assert matching <= candidates, (name, text)
            kept += len(candidates)
        # And it filters: most patterns are skipped for most messages.
        assert kept < 0.2 * len(patterns) * len(texts), name


def test_benign_chat_runs_almost_nothing() -> None:
    text = normalize("t=1795320882311733778 c=0 feeling a bit better today, thanks all")
    assert len(Prefilter([cue.pattern for cue in crisis._CUES]).candidates(text)) <= 3
