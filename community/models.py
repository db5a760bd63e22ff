"""Database tables and their public shapes.

Follows the SQLModel app template: `XBase` (shared fields), `XCreate` (input),
`X` (table) and `XPublic` (what leaves the server). Datetimes are stored as
timezone-aware UTC; `utcnow()` is the only clock the models use.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Index, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite drops the offset, so restore it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Hearth stores aware UTC datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _ts() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


def _ts_opt() -> Any:
    return Field(default=None, sa_type=UTCDateTime)


class Role(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    ADMIN = "admin"


class RoomKind(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class MessageStatus(StrEnum):
    VISIBLE = "visible"
    HELD = "held"
    REMOVED = "removed"


# --- users -----------------------------------------------------------------


class UserBase(SQLModel):
    handle: str = Field(max_length=24)


class UserCreate(UserBase):
    password: str
    accept_guidelines: bool = False
    age_confirmed: bool = False


class User(UserBase, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    # Lower-cased handle: "Sam" and "sam" must not both exist.
    handle_key: str = Field(max_length=24, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.MEMBER, max_length=16)
    guidelines_version: str = Field(max_length=32)
    guidelines_accepted_at: datetime = _ts()
    age_confirmed_at: datetime = _ts()
    country: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    # Bumped on logout-everywhere, password change and ban: old tokens stop working.
    session_epoch: int = Field(default=0)
    banned: bool = Field(default=False)
    muted_until: datetime | None = _ts_opt()
    created_at: datetime = _ts()
    deleted_at: datetime | None = _ts_opt()
    # Set when a member asks to delete their account; erased after the grace period.
    deletion_requested_at: datetime | None = _ts_opt()


class UserPublic(UserBase):
    id: int
    role: str


# --- rooms -----------------------------------------------------------------


class RoomBase(SQLModel):
    slug: str = Field(max_length=48)
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=500)
    kind: str = Field(default=RoomKind.PUBLIC, max_length=16)


class RoomCreate(RoomBase):
    pass


class Room(RoomBase, table=True):
    __tablename__ = "rooms"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=48, unique=True, index=True)
    invite_code: str | None = Field(default=None, max_length=64)
    # Room policy for the moderation pipeline: hold crisis messages for review.
    hold_crisis: bool = Field(default=False)
    # Read-only rooms (a meeting that has ended) accept no new messages.
    read_only: bool = Field(default=False)
    hidden: bool = Field(default=False)
    retention_days: int | None = Field(default=None)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _ts()
    # Written first in every send transaction: it takes the room's row lock, so
    # message ids in one room are assigned in commit order (resume relies on it).
    last_message_at: datetime | None = _ts_opt()
    # The room's last message sequence number, bumped by that same write: sequence
    # numbers are contiguous per room and in commit order (live delivery orders by it).
    last_seq: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class RoomPublic(RoomBase):
    id: int


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    joined_at: datetime = _ts()
    muted_until: datetime | None = _ts_opt()


# --- messages --------------------------------------------------------------


class MessageBase(SQLModel):
    text: str


class Message(MessageBase, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        # A retried send (same client_id) must never create a second message.
        UniqueConstraint("room_id", "author_id", "client_id", name="uq_message_client_id"),
        Index("ix_messages_room_id_id", "room_id", "id"),
        Index("ix_messages_room_id_room_seq", "room_id", "room_seq", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="rooms.id")
    author_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    client_id: str = Field(max_length=64)
    status: str = Field(default=MessageStatus.VISIBLE, max_length=16)
    created_at: datetime = _ts()
    # When a held message was released: resume replays it to clients that were away.
    released_at: datetime | None = _ts_opt()
    # 1, 2, 3... within the room, with no hole, in commit order; held and removed
    # messages keep theirs. NULL only for rows written outside the send path.
    room_seq: int | None = Field(default=None)


class MessagePublic(MessageBase):
    id: int
    client_id: str
    room: str
    author: dict[str, str]
    created_at: str


# --- moderation ------------------------------------------------------------


class Flag(SQLModel, table=True):
    """Something a moderator must look at: a pipeline verdict or a member report."""

    __tablename__ = "flags"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)  # "pipeline" | "report"
    message_id: int | None = Field(default=None, foreign_key="messages.id", index=True)
    room_id: int | None = Field(default=None, foreign_key="rooms.id")
    subject_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    reporter_id: int | None = Field(default=None, foreign_key="users.id")
    severity: str = Field(default="none", max_length=16)  # crisis severity
    # Sort key: imminent 3, high 2, low 1, other 0 — crisis first in the queue.
    priority: int = Field(default=0, index=True)
    reason: str = Field(default="", max_length=32)
    categories: str = Field(default="", max_length=255)
    cues: str = Field(default="", max_length=500)
    detail: str = Field(default="", max_length=1000)
    model_state: str = Field(default="", max_length=32)
    # Kept only for HEARTH_FLAG_TEXT_RETENTION_DAYS, then blanked by the retention job.
    text_snapshot: str | None = Field(default=None)
    status: str = Field(default="open", max_length=16, index=True)  # open|resolved|dismissed
    claimed_by: int | None = Field(default=None, foreign_key="users.id")
    claimed_until: datetime | None = _ts_opt()
    created_at: datetime = _ts()
    resolved_at: datetime | None = _ts_opt()


class AuditEntry(SQLModel, table=True):
    """Append-only record of every moderator action: ids and reasons, never text."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    action: str = Field(max_length=32, index=True)
    subject_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    message_id: int | None = Field(default=None)
    flag_id: int | None = Field(default=None)
    room_id: int | None = Field(default=None)
    reason: str = Field(default="", max_length=500)
    created_at: datetime = _ts()


class StaffNote(SQLModel, table=True):
    __tablename__ = "staff_notes"
    id: int | None = Field(default=None, primary_key=True)
    subject_id: int = Field(foreign_key="users.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="users.id")
    text: str = Field(max_length=2000)
    created_at: datetime = _ts()


class LoginAttempt(SQLModel, table=True):
    """Failed logins, for throttling per handle and per IP (pruned after a day)."""

    __tablename__ = "login_attempts"
    id: int | None = Field(default=None, primary_key=True)
    handle_key: str = Field(max_length=24, index=True)
    ip: str = Field(max_length=64, index=True)
    created_at: datetime = _ts()
