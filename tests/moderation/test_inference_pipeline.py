"""The tiny model's scores, through the worker, drive a real Pipeline decision."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from moderation.inference import InferenceWorker
from moderation.model import load_predictor, resolve_model
from moderation.types import MODEL_USED, Action, Assessment
from tests.moderation.tiny_model import LABELS, build_tiny_model

pipeline = pytest.importorskip("moderation.pipeline", reason="the rule pipeline is not there yet")

BENIGN = "hello friend"  # nothing for the rules: any hold comes from the model


def assess_with(tmp_path: Path, logits: dict[str, float], text: str) -> Assessment:
    checkpoint, config_dir = build_tiny_model(tmp_path, logits=logits)
    spec = resolve_model(None, tmp_path, checkpoint=checkpoint, config_dir=config_dir)
    assert spec is not None
    worker = InferenceWorker(lambda: load_predictor(spec), name=spec.name)
    worker.start()
    deadline = time.monotonic() + 10
    while worker.status()["state"] != "ready":
        assert time.monotonic() < deadline, worker.status()
        time.sleep(0.01)
    try:
        # A generous timeout: this test is about the decision, not the latency.
        rules_and_model = pipeline.Pipeline(scorer=worker, model_timeout=2.0)
        result: Assessment = asyncio.run(rules_and_model.assess(text))
        return result
    finally:
        worker.close()


def test_model_insult_score_holds_a_message_the_rules_allow(tmp_path: Path) -> None:
    logits = {label: -12.0 for label in LABELS} | {"insult": 12.0}
    assessment = assess_with(tmp_path, logits, BENIGN)
    assert assessment.model == MODEL_USED
    assert assessment.action is Action.HOLD
    assert assessment.harmful


def test_model_low_scores_allow_the_same_message(tmp_path: Path) -> None:
    assessment = assess_with(tmp_path, {label: -12.0 for label in LABELS}, BENIGN)
    assert assessment.model == MODEL_USED
    assert assessment.action is Action.ALLOW
    assert not assessment.harmful
