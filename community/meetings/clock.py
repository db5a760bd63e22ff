"""An injectable clock, so room transitions are tested by moving time, not by sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to; for tests and for replaying a meeting."""

    def __init__(self, now: datetime) -> None:
        self._now = _require_aware(now)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward (or back, for a negative delta) and return the new instant."""
        self._now += delta
        return self._now

    def set(self, now: datetime) -> None:
        self._now = _require_aware(now)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the clock needs an aware datetime (e.g. datetime(..., tzinfo=UTC))")
    return moment.astimezone(UTC)
