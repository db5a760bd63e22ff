"""The moderation pipeline: rules always, model scores when they arrive in time.

Model scores come from one scorer: detoxify's labels and/or the semantic reader's
(semantic.py) votes, whichever are configured, scored together on one worker thread.

Decision, in order: harmful (any category at or above its threshold) -> hold;
crisis -> allow_and_alert, or hold when the room holds crisis messages; else allow.
A crisis is never dropped: a held message that is also a crisis keeps its
severity, so `Assessment.crisis` stays true and the app still alerts.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from moderation import crisis, harm, semantic
from moderation.normalize import normalize
from moderation.types import (
    CATEGORIES,
    MODEL_ABSENT,
    MODEL_BUSY,
    MODEL_ERROR,
    MODEL_TIMEOUT,
    MODEL_USED,
    Action,
    Assessment,
    RoomPolicy,
    Scorer,
    ScorerBusy,
    Thresholds,
)

# Detoxify labels that speak for each of our categories. toxicity only supports
# harassment when insult agrees: alone it fires on undirected swearing.
_MODEL_MAP = {
    "harassment": ("insult", "severe_toxicity"),
    "hate": ("identity_attack",),
    "threat": ("threat",),
    "sexual_harassment": ("sexual_explicit",),
}
# Detoxify reads self-directed violence ("I'm going to kill myself") as threat and
# insult; in a crisis message the model alone must be near-certain to hold it.
_CRISIS_MODEL_BAR = 0.95


def model_categories(scores: dict[str, float]) -> dict[str, float]:
    """Detoxify label probabilities mapped onto our harm categories."""
    out = {
        cat: max((scores.get(label, 0.0) for label in labels), default=0.0)
        for cat, labels in _MODEL_MAP.items()
    }
    if scores.get("insult", 0.0) >= 0.5:
        out["harassment"] = max(out["harassment"], scores.get("toxicity", 0.0))
    return out


class Pipeline:
    """Assesses messages. Safe to share between tasks; holds no per-message state."""

    def __init__(
        self,
        *,
        thresholds: Thresholds | None = None,
        scorer: Scorer | None = None,
        model_timeout: float = 0.25,
    ) -> None:
        if model_timeout <= 0:
            raise ValueError(f"model_timeout must be positive, got {model_timeout!r}")
        self.thresholds = thresholds or Thresholds()
        self.scorer = scorer
        self.model_timeout = model_timeout

    async def assess(self, text: str, policy: RoomPolicy = RoomPolicy()) -> Assessment:
        """Rules always; model scores too if the scorer is ready and answers in time."""
        _check_text(text)
        if self.scorer is None or self.scorer.status().get("state") != "ready":
            return self._decide(text, policy, None, MODEL_ABSENT)
        try:
            future = self.scorer.submit(text)
            scores = await asyncio.wait_for(asyncio.wrap_future(future), self.model_timeout)
        except TimeoutError:
            return self._decide(text, policy, None, MODEL_TIMEOUT)
        except ScorerBusy:
            return self._decide(text, policy, None, MODEL_BUSY)
        except (Exception, concurrent.futures.CancelledError):
            return self._decide(text, policy, None, MODEL_ERROR)
        return self._decide(text, policy, scores, MODEL_USED)

    def assess_rules(
        self,
        text: str,
        policy: RoomPolicy = RoomPolicy(),
        scores: dict[str, float] | None = None,
    ) -> Assessment:
        """Synchronous and pure: rules, plus detoxify `scores` if given (model="used")."""
        _check_text(text)
        return self._decide(text, policy, scores, MODEL_ABSENT if scores is None else MODEL_USED)

    def status(self) -> dict[str, object]:
        model = self.scorer.status() if self.scorer else {"state": "absent", "model": None}
        return {"rules": "ready", "model": model, "model_timeout": self.model_timeout}

    def _decide(
        self, text: str, policy: RoomPolicy, scores: dict[str, float] | None, model: str
    ) -> Assessment:
        norm = normalize(text)
        crisis_vote, harm_vote = semantic.votes(scores) if scores is not None else (None, None)
        found = crisis.detect(norm, crisis_vote)
        categories = harm.score(text, norm, harm_vote)
        if scores is not None:
            self._merge(categories, model_categories(scores), found.severity.rank > 0)
        harmful = tuple(c for c in CATEGORIES if categories[c] >= self.thresholds.for_category(c))
        if harmful:
            action = Action.HOLD
        elif found.severity.rank > 0:
            action = Action.HOLD if policy.hold_crisis else Action.ALLOW_AND_ALERT
        else:
            action = Action.ALLOW
        return Assessment(found.severity, found.cues, categories, harmful, action, model)

    def _merge(self, categories: dict[str, float], model: dict[str, float], crisis: bool) -> None:
        for cat, value in model.items():
            rule_hit = categories[cat] >= self.thresholds.for_category(cat)
            if crisis and not rule_hit and cat in ("harassment", "threat"):
                value = value if value >= _CRISIS_MODEL_BAR else 0.0
            categories[cat] = max(categories[cat], value)


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
