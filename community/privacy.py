"""Members' data: export, account deletion with a grace period, room retention.

What is stored and why is documented in docs/privacy.md; keep the two in step.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from community.db import run_db
from community.events import iso
from community.models import Flag, Membership, Message, MessageStatus, Room, User, utcnow
from community.settings import Settings

log = logging.getLogger("hearth.privacy")

ANONYMISE = "anonymise"
REMOVE = "remove"


def export_user(session: Session, user: User) -> dict[str, Any]:
    """Everything Hearth holds that a member gave us, as JSON-able data."""
    rooms = {r.id: r.slug for r in session.exec(select(Room))}
    memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    messages = session.exec(
        select(Message).where(Message.author_id == user.id).order_by(col(Message.id))
    ).all()
    reports = session.exec(
        select(Flag).where(Flag.reporter_id == user.id, Flag.source == "report")
    ).all()
    return {
        "profile": {
            "handle": user.handle,
            "role": user.role,
            "created_at": iso(user.created_at),
            "guidelines_version": user.guidelines_version,
            "guidelines_accepted_at": iso(user.guidelines_accepted_at),
            "age_confirmed_at": iso(user.age_confirmed_at),
            "country": user.country,
            "timezone": user.timezone,
        },
        "rooms": [
            {"room": rooms.get(m.room_id), "joined_at": iso(m.joined_at)} for m in memberships
        ],
        "messages": [
            {
                "id": m.id,
                "room": rooms.get(m.room_id),
                "text": m.text,
                "status": m.status,
                "created_at": iso(m.created_at),
            }
            for m in messages
        ],
        "reports_made": [
            {"message_id": f.message_id, "reason": f.reason, "created_at": iso(f.created_at)}
            for f in reports
        ],
    }


def do_request_deletion(session: Session, user: User, now: datetime) -> None:
    """Start the grace period; logging in again before it ends cancels the deletion."""
    user.deletion_requested_at = now
    user.session_epoch += 1  # log out everywhere
    session.add(user)


def do_cancel_deletion(session: Session, user: User) -> None:
    if user.deletion_requested_at is not None:
        user.deletion_requested_at = None
        session.add(user)


def due_deletions(session: Session, now: datetime, grace: timedelta) -> list[User]:
    return list(
        session.exec(
            select(User).where(
                col(User.deletion_requested_at).is_not(None),
                col(User.deletion_requested_at) <= now - grace,
                col(User.deleted_at).is_(None),
            )
        )
    )


def do_delete_account(session: Session, user: User, now: datetime, messages: str) -> None:
    """Erase the account: the handle, password and profile go; messages per the setting.

    `anonymise` keeps the words in the conversation (others replied to them) with no
    author; `remove` takes them out of every room.
    """
    assert user.id is not None
    if messages == REMOVE:
        session.execute(
            update(Message)
            .where(col(Message.author_id) == user.id)
            .values(text="", status=MessageStatus.REMOVED, author_id=None)
        )
    else:
        session.execute(
            update(Message).where(col(Message.author_id) == user.id).values(author_id=None)
        )
    session.execute(update(Flag).where(col(Flag.subject_id) == user.id).values(text_snapshot=None))
    session.execute(delete(Membership).where(col(Membership.user_id) == user.id))
    user.handle = f"deleted-{user.id}"
    user.handle_key = f"deleted-{user.id}"
    user.password_hash = "!"
    user.country = user.timezone = None
    user.deleted_at = now
    user.session_epoch += 1
    session.add(user)


def purge_room_retention(session: Session, now: datetime) -> int:
    """Delete messages older than each room's retention; returns how many went."""
    total = 0
    for room in session.exec(select(Room).where(col(Room.retention_days).is_not(None))):
        assert room.retention_days is not None
        cutoff = now - timedelta(days=room.retention_days)
        old = select(Message.id).where(Message.room_id == room.id, Message.created_at < cutoff)
        session.execute(update(Flag).where(col(Flag.message_id).in_(old)).values(message_id=None))
        result = session.execute(
            delete(Message).where(col(Message.room_id) == room.id, col(Message.created_at) < cutoff)
        )
        total += int(getattr(result, "rowcount", 0) or 0)
    return total


def run_privacy_jobs(
    session: Session, now: datetime, grace: timedelta, messages: str
) -> dict[str, int]:
    deleted = 0
    for user in due_deletions(session, now, grace):
        do_delete_account(session, user, now, messages)
        deleted += 1
    return {"accounts_deleted": deleted, "messages_expired": purge_room_retention(session, now)}


async def privacy_loop(engine: Engine, settings: Settings, interval: float = 3600.0) -> None:
    """Run the deletion and room-retention jobs now, then hourly, until cancelled."""
    grace = timedelta(days=settings.deletion_grace_days)
    while True:
        try:
            counts = await run_db(
                engine, lambda s: run_privacy_jobs(s, utcnow(), grace, settings.deleted_messages)
            )
            if any(counts.values()):
                log.info("privacy jobs: %s", counts)
        except Exception as exc:
            log.error("privacy jobs failed (%s); will retry", type(exc).__name__)
        await asyncio.sleep(interval)
