"""Hearth moderation: crisis language and harmful content, decided per message.

A pure library: no web framework, no Redis, no imports from `community`.
"""

from __future__ import annotations

from moderation.pipeline import Pipeline
from moderation.types import (
    CATEGORIES,
    Action,
    Assessment,
    RoomPolicy,
    Scorer,
    ScorerBusy,
    Severity,
    Thresholds,
)

__all__ = [
    "CATEGORIES",
    "Action",
    "Assessment",
    "Pipeline",
    "RoomPolicy",
    "Scorer",
    "ScorerBusy",
    "Severity",
    "Thresholds",
]
