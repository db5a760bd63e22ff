"""What a moderator sees: queue items with their context, member history, the audit log.

Read-only queries for the workspace pages (`community.views.moderation`); each takes
a session and returns plain rows or dataclasses for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from community.models import AuditEntry, Flag, Message, MessageStatus, Room, StaffNote, User

CONTEXT = 3  # messages shown before and after a flagged one
QUEUE_LIMIT = 100
HISTORY = 5  # the author's recent flags and staff notes shown per item


@dataclass
class QueueItem:
    flag: Flag
    room: Room | None
    message: Message | None
    author: str
    reporter: str | None
    context: list[tuple[Message, str]]  # before, the flagged message, after; in id order
    recent_flags: list[Flag]
    notes: list[tuple[StaffNote, str]]
    claimed_by: str | None  # only while the claim is live
    raised_minutes: int


def queue_items(session: Session, now: datetime) -> list[QueueItem]:
    """Open flags, crisis first (priority 3, 2, 1, 0), then oldest first."""
    flags = session.exec(
        select(Flag)
        .where(Flag.status == "open")
        .order_by(col(Flag.priority).desc(), col(Flag.created_at), col(Flag.id))
        .limit(QUEUE_LIMIT)
    ).all()
    return [_item(session, f, now) for f in flags]


def queue_item(session: Session, flag_id: int, now: datetime) -> QueueItem | None:
    flag = session.get(Flag, flag_id)
    return _item(session, flag, now) if flag is not None else None


def _item(session: Session, flag: Flag, now: datetime) -> QueueItem:
    msg = session.get(Message, flag.message_id) if flag.message_id else None
    live_claim = flag.claimed_by and flag.claimed_until and flag.claimed_until > now
    return QueueItem(
        flag=flag,
        room=session.get(Room, flag.room_id) if flag.room_id else None,
        message=msg,
        author=_handle(session, flag.subject_id) or "former member",
        reporter=_handle(session, flag.reporter_id),
        context=_context(session, msg) if msg else [],
        recent_flags=_recent_flags(session, flag.subject_id, exclude=flag.id),
        notes=_notes(session, flag.subject_id, HISTORY),
        claimed_by=_handle(session, flag.claimed_by) if live_claim else None,
        raised_minutes=max(0, int((now - flag.created_at).total_seconds() // 60)),
    )


def _handle(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return user.handle if user else None


def _context(session: Session, msg: Message) -> list[tuple[Message, str]]:
    around = (
        select(Message, User.handle)
        .join(User, col(User.id) == Message.author_id, isouter=True)
        .where(Message.room_id == msg.room_id, Message.status == MessageStatus.VISIBLE)
    )
    before = session.exec(
        around.where(col(Message.id) < msg.id).order_by(col(Message.id).desc()).limit(CONTEXT)
    ).all()
    after = session.exec(
        around.where(col(Message.id) > msg.id).order_by(col(Message.id)).limit(CONTEXT)
    ).all()
    author = _handle(session, msg.author_id) or "former member"
    rows = [*reversed(before), (msg, author), *after]
    return [(m, h or "former member") for m, h in rows]


def _recent_flags(session: Session, subject_id: int | None, exclude: int | None) -> list[Flag]:
    if subject_id is None:
        return []
    return list(
        session.exec(
            select(Flag)
            .where(Flag.subject_id == subject_id, col(Flag.id) != exclude)
            .order_by(col(Flag.id).desc())
            .limit(HISTORY)
        ).all()
    )


def _notes(session: Session, subject_id: int | None, limit: int) -> list[tuple[StaffNote, str]]:
    if subject_id is None:
        return []
    rows = session.exec(
        select(StaffNote, User.handle)
        .join(User, col(User.id) == StaffNote.author_id, isouter=True)
        .where(StaffNote.subject_id == subject_id)
        .order_by(col(StaffNote.id).desc())
        .limit(limit)
    ).all()
    return [(n, h or "former moderator") for n, h in rows]


def audit_rows(
    session: Session, *, moderator: str, action: str, member: str, limit: int = 200
) -> list[tuple[AuditEntry, str | None, str | None]]:
    """Newest first, with the moderator's and member's handles; filters are exact."""
    actor, subject = aliased(User), aliased(User)
    query = (
        select(AuditEntry, actor.handle, subject.handle)
        .join(actor, col(actor.id) == AuditEntry.actor_id, isouter=True)
        .join(subject, col(subject.id) == AuditEntry.subject_id, isouter=True)
    )
    if moderator:
        query = query.where(actor.handle_key == moderator.lower())
    if member:
        query = query.where(subject.handle_key == member.lower())
    if action:
        query = query.where(AuditEntry.action == action)
    rows = session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)).all()
    return [(e, a, m) for e, a, m in rows]


def member_context(session: Session, member_id: int) -> dict[str, Any] | None:
    member = session.get(User, member_id)
    if member is None:
        return None
    return {
        "member": member,
        "flags": _recent_flags(session, member_id, exclude=None)[:HISTORY],
        "notes": _notes(session, member_id, 100),
        "audit": audit_rows(session, moderator="", action="", member=member.handle, limit=20),
    }
