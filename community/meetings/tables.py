"""Tables for facilitated meetings: the group, one row per occurrence, and seats.

A ``MeetingSeat`` is one person's place in one occurrence (arrival, raised hand, place in a
round). Seats name people, so the scheduler deletes them when the occurrence closes; what
survives the meeting is ``MeetingOccurrence.attendance``, a bare number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from community.models import UTCDateTime, utcnow


def _ts() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


def _ts_opt() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class MeetingGroup(SQLModel, table=True):
    __tablename__ = "meeting_groups"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=80)
    description: str = Field(default="", max_length=1000)
    guidelines: str = Field(default="", max_length=4000)
    facilitator_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    # schedule_to_dict(...): versioned, validated again on every load.
    schedule: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    lobby_minutes: int = Field(default=15)
    capacity: int | None = Field(default=None)
    retention_mode: str = Field(default="keep", max_length=16)
    hide_after_hours: int = Field(default=0)
    room_id: int = Field(foreign_key="rooms.id", unique=True)
    created_at: datetime = _ts()


class MeetingOccurrence(SQLModel, table=True):
    """Facilitator overrides and scheduler state for one occurrence (keyed by its rule date)."""

    __tablename__ = "meeting_occurrences"
    __table_args__ = (UniqueConstraint("group_id", "occurrence_date"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="meeting_groups.id", index=True)
    occurrence_date: date
    # The phase the scheduler last applied; updated with a compare-and-set so that only one
    # process applies (and announces) each transition.
    phase: str = Field(default="scheduled", max_length=16)
    opened_early_at: datetime | None = _ts_opt()
    extended_by_minutes: int = Field(default=0)
    ended_at: datetime | None = _ts_opt()
    locked: bool = Field(default=False)
    attendance: int = Field(default=0)
    pinned_guidelines: bool = Field(default=False)
    pinned_message_id: int | None = Field(default=None)
    round_kind: str | None = Field(default=None, max_length=16)  # check-in | check-out
    round_turn: int = Field(default=0)  # 1-based place of whoever is speaking


class MeetingSeat(SQLModel, table=True):
    """One person in one occurrence; deleted when the occurrence closes."""

    __tablename__ = "meeting_seats"
    __table_args__ = (UniqueConstraint("occurrence_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="meeting_occurrences.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    joined_at: datetime = _ts()
    removed: bool = Field(default=False)
    # Place in the raise-hand queue (a counter, not a time: ties under a frozen clock).
    hand_queued: int | None = Field(default=None)
    round_place: int | None = Field(default=None)
