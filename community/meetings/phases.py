"""The room state machine for one occurrence of a meeting.

Phases follow each other in one direction::

    scheduled --opens_at--> lobby --start--> live --ends_at--> closed --hidden_at--> hidden

- ``opens_at`` is ``lobby_minutes`` before the start, or the facilitator's ``opened_early_at``
  if earlier. Opening early opens the *lobby*: the meeting still goes live at its start, so
  members who arrive on time do not miss anything.
- ``ends_at`` is the end plus ``extended_by_minutes``, or the facilitator's ``ended_at`` if
  earlier. Ending before the start (e.g. a facilitator is ill) skips straight to ``closed``.
- ``closed`` is read-only. ``hidden_at`` depends on retention: never (``keep``), some hours
  after ``ends_at`` (``hide_after``), or at ``ends_at`` itself (``delete_on_end``, when the
  caller also deletes the occurrence's messages).

Every function is pure: pass ``now`` from a ``Clock``. After a facilitator action changes the
overrides, ask ``next_transition_at`` again: a scheduler sleeps exactly until that instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from community.meetings.recurrence import Occurrence

MAX_LOBBY_MINUTES = 120
MAX_EXTENSION_MINUTES = 240
MAX_HIDE_AFTER_HOURS = 24 * 365


class Phase(StrEnum):
    SCHEDULED = "scheduled"
    LOBBY = "lobby"
    LIVE = "live"
    CLOSED = "closed"
    HIDDEN = "hidden"


class Refusal(StrEnum):
    NOT_OPEN = "not_open"
    LOCKED = "locked"
    FULL = "full"
    CLOSED = "closed"


@dataclass(frozen=True)
class Overrides:
    """What facilitators did to this occurrence; all instants aware UTC."""

    opened_early_at: datetime | None = None
    extended_by_minutes: int = 0
    ended_at: datetime | None = None
    locked: bool = False

    def __post_init__(self) -> None:
        _require_aware(self.opened_early_at, "opened_early_at")
        _require_aware(self.ended_at, "ended_at")
        if not 0 <= self.extended_by_minutes <= MAX_EXTENSION_MINUTES:
            raise ValueError(f"extended_by_minutes must be 0..{MAX_EXTENSION_MINUTES}")


@dataclass(frozen=True)
class Retention:
    """How long a closed meeting stays visible; ``hide_after_hours`` only for ``hide_after``."""

    mode: Literal["keep", "hide_after", "delete_on_end"] = "keep"
    hide_after_hours: int = 0

    def __post_init__(self) -> None:
        if self.mode not in ("keep", "hide_after", "delete_on_end"):
            raise ValueError(f"unknown retention mode {self.mode!r}")
        if self.mode == "hide_after" and not 1 <= self.hide_after_hours <= MAX_HIDE_AFTER_HOURS:
            raise ValueError(f"hide_after_hours must be 1..{MAX_HIDE_AFTER_HOURS}")

    @property
    def deletes_messages(self) -> bool:
        """True when the caller must delete the occurrence's messages once it ends."""
        return self.mode == "delete_on_end"


@dataclass(frozen=True)
class Room:
    """Everything that decides one occurrence's phase, except the current time."""

    occurrence: Occurrence
    lobby_minutes: int = 15
    overrides: Overrides = field(default_factory=Overrides)
    retention: Retention = field(default_factory=Retention)

    def __post_init__(self) -> None:
        if not 0 <= self.lobby_minutes <= MAX_LOBBY_MINUTES:
            raise ValueError(f"lobby_minutes must be 0..{MAX_LOBBY_MINUTES}")

    @property
    def opens_at(self) -> datetime:
        scheduled = self.occurrence.start - timedelta(minutes=self.lobby_minutes)
        early = self.overrides.opened_early_at
        return scheduled if early is None else min(scheduled, early)

    @property
    def ends_at(self) -> datetime:
        extended = self.occurrence.end + timedelta(minutes=self.overrides.extended_by_minutes)
        ended = self.overrides.ended_at
        return extended if ended is None else min(extended, ended)

    @property
    def hidden_at(self) -> datetime | None:
        if self.retention.mode == "delete_on_end":
            return self.ends_at
        if self.retention.mode == "hide_after":
            return self.ends_at + timedelta(hours=self.retention.hide_after_hours)
        return None


@dataclass(frozen=True)
class JoinDecision:
    """``reason`` is None when allowed; ``message`` is fit to show the member."""

    allowed: bool
    reason: Refusal | None = None
    message: str = ""
    opens_at: datetime | None = None


def phase_at(room: Room, now: datetime) -> Phase:
    _require_aware(now, "now")
    hidden_at = room.hidden_at
    if hidden_at is not None and now >= hidden_at:
        return Phase.HIDDEN
    if now >= room.ends_at:
        return Phase.CLOSED
    if now >= room.occurrence.start:
        return Phase.LIVE
    if now >= room.opens_at:
        return Phase.LOBBY
    return Phase.SCHEDULED


def next_transition_at(room: Room, now: datetime) -> datetime | None:
    """The first instant after ``now`` at which the phase changes; None if it never will."""
    current = phase_at(room, now)
    boundaries = [room.opens_at, room.occurrence.start, room.ends_at, room.hidden_at]
    for moment in sorted(b for b in boundaries if b is not None and b > now):
        if phase_at(room, moment) != current:
            return moment
    return None


def may_join(
    room: Room,
    now: datetime,
    *,
    present: int,
    capacity: int | None,
    facilitator: bool = False,
    returning: bool = False,
) -> JoinDecision:
    """Whether someone may enter the room now.

    ``present`` counts people in the room (facilitators included), ``capacity`` None means
    unlimited. Facilitators may enter before the room opens (to open it early) and bypass lock
    and capacity. ``returning`` people (already joined this occurrence, e.g. after a dropped
    connection) bypass the lock, which only stops *new* joiners, but not the capacity.
    Nobody joins a closed or hidden meeting.
    """
    if capacity is not None and capacity < 1:
        raise ValueError("capacity must be at least 1 (None for unlimited)")
    phase = phase_at(room, now)
    if phase in (Phase.CLOSED, Phase.HIDDEN):
        return JoinDecision(False, Refusal.CLOSED, "This meeting has ended.")
    if facilitator:
        return JoinDecision(True)
    if phase == Phase.SCHEDULED:
        message = "This meeting is not open yet."
        return JoinDecision(False, Refusal.NOT_OPEN, message, opens_at=room.opens_at)
    if room.overrides.locked and not returning:
        return JoinDecision(False, Refusal.LOCKED, "This meeting is locked.")
    if capacity is not None and present >= capacity:
        message = f"This meeting is full ({capacity} of {capacity} places taken)."
        return JoinDecision(False, Refusal.FULL, message)
    return JoinDecision(True)


def may_post(room: Room, now: datetime) -> bool:
    """Posting is open in the lobby (arrivals say hello) and live; closed rooms are read-only."""
    return phase_at(room, now) in (Phase.LOBBY, Phase.LIVE)


def may_view(room: Room, now: datetime) -> bool:
    """A room can be read until it is hidden (before opening there is nothing to read)."""
    return phase_at(room, now) != Phase.HIDDEN


def _require_aware(moment: datetime | None, name: str) -> None:
    if moment is not None and (not isinstance(moment, datetime) or moment.utcoffset() is None):
        raise ValueError(f"{name} must be an aware datetime")
