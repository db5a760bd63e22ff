"""Pipeline decisions, model merging, and the async path with real Future-backed scorers.

The scorers here are small real implementations of the Scorer protocol (a thread
pool returning fixed scores, a future nobody completes, a raising one); the
detoxify-backed InferenceWorker is tested in test_inference*.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Iterator

import pytest

from moderation import Action, Pipeline, RoomPolicy, Scorer, ScorerBusy, Severity, Thresholds


class DictScorer:
    """Scores texts from a dict on a worker thread, like the real inference worker."""

    def __init__(self, scores: dict[str, dict[str, float]], delay: float = 0.0) -> None:
        self.scores, self.delay = scores, delay
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)

    def _score(self, text: str) -> dict[str, float]:
        time.sleep(self.delay)
        return self.scores.get(text, {"toxicity": 0.01})

    def submit(self, text: str) -> concurrent.futures.Future[dict[str, float]]:
        return self.pool.submit(self._score, text)

    def status(self) -> dict[str, object]:
        return {"state": "ready", "model": "dict"}


class NeverScorer:
    """Accepts work and never answers: the model is wedged."""

    def __init__(self) -> None:
        self.futures: list[concurrent.futures.Future[dict[str, float]]] = []

    def submit(self, text: str) -> concurrent.futures.Future[dict[str, float]]:
        self.futures.append(concurrent.futures.Future())
        return self.futures[-1]

    def status(self) -> dict[str, object]:
        return {"state": "ready", "model": "never"}


class FailingScorer:
    def __init__(self, error: Exception, state: str = "ready") -> None:
        self.error, self.state = error, state

    def submit(self, text: str) -> concurrent.futures.Future[dict[str, float]]:
        future: concurrent.futures.Future[dict[str, float]] = concurrent.futures.Future()
        future.set_exception(self.error)
        return future

    def status(self) -> dict[str, object]:
        return {"state": self.state, "model": "failing"}


@pytest.fixture
def dict_scorer() -> Iterator[DictScorer]:
    scorer = DictScorer(
        {
            "you people are the worst": {"identity_attack": 0.92, "toxicity": 0.9, "insult": 0.4},
            "I want to kill myself": {"threat": 0.8, "toxicity": 0.85, "insult": 0.3},
        }
    )
    yield scorer
    scorer.pool.shutdown(wait=True)


def test_decisions_follow_crisis_and_harm() -> None:
    p = Pipeline()
    assert p.assess_rules("had a good day at group").action is Action.ALLOW
    crisis = p.assess_rules("I want to kill myself")
    assert (crisis.action, crisis.severity, crisis.crisis) == (
        Action.ALLOW_AND_ALERT,
        Severity.HIGH,
        True,
    )
    held = p.assess_rules("I want to kill myself", RoomPolicy(hold_crisis=True))
    assert held.action is Action.HOLD and held.crisis
    harmful = p.assess_rules("you are a worthless piece of shit")
    assert harmful.action is Action.HOLD and harmful.harmful and not harmful.crisis


def test_crisis_and_harm_together_is_held_and_still_a_crisis() -> None:
    a = Pipeline().assess_rules("I want to die tonight and you are a worthless idiot")
    assert a.action is Action.HOLD
    assert a.crisis and a.severity is Severity.IMMINENT
    assert a.harmful_categories == ("harassment",)


def test_to_json_shape() -> None:
    out = Pipeline().assess_rules("kys").to_json()
    assert out == {
        "crisis": False,
        "severity": "none",
        "harmful": True,
        "categories": ["encouraging_self_harm"],
        "action": "hold",
        "scores": out["scores"],
        "cues": [],
        "model": "absent",
    }
    assert out["scores"]["encouraging_self_harm"] == 0.95  # type: ignore[index]


def test_thresholds_are_settings_and_validated() -> None:
    text = "you look stupid"
    assert Pipeline().assess_rules(text).harmful
    assert not Pipeline(thresholds=Thresholds(harassment=0.99)).assess_rules(text).harmful
    with pytest.raises(ValueError, match="harassment"):
        Thresholds(harassment=1.5)
    with pytest.raises(ValueError, match="hate"):
        Thresholds(hate=0)
    with pytest.raises(KeyError):
        Thresholds().for_category("spam")


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="str"):
        Pipeline().assess_rules(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="model_timeout"):
        Pipeline(model_timeout=0)


def test_model_scores_merge_with_rules() -> None:
    p = Pipeline()
    a = p.assess_rules("you people are the worst", scores={"identity_attack": 0.92})
    assert a.model == "used" and a.harmful_categories == ("hate",)
    # Detoxify reads self-directed crisis talk as a threat; that must not hold it.
    crisis = p.assess_rules("I want to kill myself", scores={"threat": 0.8, "insult": 0.3})
    assert crisis.action is Action.ALLOW_AND_ALERT and crisis.categories["threat"] == 0.0
    # Swearing alone (toxicity without insult) is not harassment.
    assert not p.assess_rules("this fucking week", scores={"toxicity": 0.95}).harmful


def test_assess_uses_model_scores(dict_scorer: DictScorer) -> None:
    scorer: Scorer = dict_scorer
    p = Pipeline(scorer=scorer)
    held = asyncio.run(p.assess("you people are the worst"))
    assert (held.model, held.action, held.harmful_categories) == ("used", Action.HOLD, ("hate",))
    crisis = asyncio.run(p.assess("I want to kill myself"))
    assert (crisis.model, crisis.action) == ("used", Action.ALLOW_AND_ALERT)


def test_assess_timeout_lets_rules_decide_alone() -> None:
    scorer = NeverScorer()
    p = Pipeline(scorer=scorer, model_timeout=0.05)
    started = time.perf_counter()
    a = asyncio.run(p.assess("I took all my pills"))
    assert time.perf_counter() - started < 1.0
    assert a.model == "skipped:timeout" and a.severity is Severity.IMMINENT
    assert a.action is Action.ALLOW_AND_ALERT
    assert scorer.futures[0].cancelled()  # the worker may drop it rather than score it


def test_assess_slow_scorer_times_out() -> None:
    scorer = DictScorer({}, delay=0.3)
    try:
        a = asyncio.run(Pipeline(scorer=scorer, model_timeout=0.05).assess("kys"))
    finally:
        scorer.pool.shutdown(wait=True)
    assert a.model == "skipped:timeout" and a.action is Action.HOLD


@pytest.mark.parametrize(
    ("scorer", "model"),
    [
        (FailingScorer(RuntimeError("cuda on fire")), "skipped:error"),
        (FailingScorer(ScorerBusy("queue full")), "skipped:busy"),
        (FailingScorer(RuntimeError("unused"), state="loading"), "absent"),
        (None, "absent"),
    ],
)
def test_assess_without_model_scores(scorer: Scorer | None, model: str) -> None:
    a = asyncio.run(Pipeline(scorer=scorer).assess("nobody would miss you"))
    assert a.model == model
    assert a.harmful_categories == ("encouraging_self_harm",)


def test_status_reports_model_state(dict_scorer: DictScorer) -> None:
    assert Pipeline().status()["model"] == {"state": "absent", "model": None}
    status = Pipeline(scorer=dict_scorer, model_timeout=0.1).status()
    assert status == {
        "rules": "ready",
        "model": {"state": "ready", "model": "dict"},
        "model_timeout": 0.1,
    }
