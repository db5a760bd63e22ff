"""The verdict types shared by the moderation checks, the pipeline and its callers."""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Protocol

# Harm categories the rules and the model scores are reported under, in display order.
CATEGORIES: tuple[str, ...] = (
    "harassment",
    "hate",
    "threat",
    "sexual_harassment",
    "encouraging_self_harm",
    "self_harm_method",
    "doxxing",
)

# Values of Assessment.model.
MODEL_USED = "used"
MODEL_ABSENT = "absent"
MODEL_TIMEOUT = "skipped:timeout"
MODEL_ERROR = "skipped:error"
MODEL_BUSY = "skipped:busy"


class Severity(StrEnum):
    """Crisis severity; compare with `rank`, never with the string value."""

    NONE = "none"
    LOW = "low"
    HIGH = "high"
    IMMINENT = "imminent"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.NONE: 0, Severity.LOW: 1, Severity.HIGH: 2, Severity.IMMINENT: 3}


def max_severity(*levels: Severity) -> Severity:
    return max(levels, key=lambda s: s.rank, default=Severity.NONE)


class Action(StrEnum):
    ALLOW = "allow"
    ALLOW_AND_ALERT = "allow_and_alert"
    HOLD = "hold"


@dataclass(frozen=True)
class RoomPolicy:
    """Per-room choices. hold_crisis holds crisis messages for review (still alerting)."""

    hold_crisis: bool = False


@dataclass(frozen=True)
class Thresholds:
    """Score at or above which a harm category holds a message (rules and model alike).

    Rule hits score 0.85-0.95, so lowering a threshold below ~0.5 lets weak rule
    evidence (an unexplained phone number scores 0.45) hold messages.
    """

    harassment: float = 0.8
    hate: float = 0.7
    threat: float = 0.7
    sexual_harassment: float = 0.7
    encouraging_self_harm: float = 0.6
    self_harm_method: float = 0.6
    doxxing: float = 0.6

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise ValueError(f"threshold {f.name} must be in (0, 1], got {value!r}")

    def for_category(self, category: str) -> float:
        if category not in CATEGORIES:
            raise KeyError(f"unknown harm category {category!r}")
        value: float = getattr(self, category)
        return value


@dataclass(frozen=True)
class Assessment:
    """What the pipeline decided about one message, with the evidence for it."""

    severity: Severity
    crisis_cues: tuple[str, ...]
    categories: dict[str, float] = field(hash=False)
    harmful_categories: tuple[str, ...]
    action: Action
    model: str

    @property
    def crisis(self) -> bool:
        # A held message that is also a crisis still alerts: severity alone decides.
        return self.severity is not Severity.NONE

    @property
    def harmful(self) -> bool:
        return bool(self.harmful_categories)

    def to_json(self) -> dict[str, object]:
        return {
            "crisis": self.crisis,
            "severity": self.severity.value,
            "harmful": self.harmful,
            "categories": list(self.harmful_categories),
            "action": self.action.value,
            "scores": {k: round(v, 3) for k, v in self.categories.items()},
            "cues": list(self.crisis_cues),
            "model": self.model,
        }


class ScorerBusy(Exception):
    """Raised by Scorer.submit (or set on its future) when its queue is full."""


class Scorer(Protocol):
    def submit(self, text: str) -> concurrent.futures.Future[dict[str, float]]: ...

    def status(self) -> dict[str, object]: ...
