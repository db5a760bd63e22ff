"""Sending messages: validate, store (with its moderation flag) and commit.

Publishing is the caller's job and happens only after the commit (Zulip's
publish-after-commit): a client is acknowledged only for what is stored.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from community.models import Flag, Message, MessageStatus, Room, User, utcnow
from moderation import Action, Assessment

SEVERITY_PRIORITY = {"imminent": 3, "high": 2, "low": 1}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MessageError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
        raise MessageError("bad_client_id", "client_id must be a string of 1-64 characters.")
    try:
        uuid.UUID(client_id)
    except ValueError:
        raise MessageError("bad_client_id", "client_id must be a UUID.") from None
    return client_id


def check_text(text: object, max_chars: int) -> str:
    if not isinstance(text, str):
        raise MessageError("bad_text", "text must be a string.")
    text = _CONTROL.sub("", text).strip()
    if not text:
        raise MessageError("empty", "Type a message before sending.")
    if len(text) > max_chars:
        raise MessageError("too_long", f"Messages are limited to {max_chars} characters.")
    return text


def find_existing(session: Session, room_id: int, author_id: int, client_id: str) -> Message | None:
    return session.exec(
        select(Message).where(
            Message.room_id == room_id,
            Message.author_id == author_id,
            Message.client_id == client_id,
        )
    ).first()


@dataclass(frozen=True)
class Stored:
    message: Message
    created: bool
    flag: Flag | None


def do_store_message(
    session: Session, *, room: Room, author: User, client_id: str, text: str, verdict: Assessment
) -> Stored:
    """Store one message; a retry of the same client_id returns the first one."""
    assert room.id is not None and author.id is not None
    existing = find_existing(session, room.id, author.id, client_id)
    if existing is not None:
        return Stored(existing, False, None)
    # Take the room's row lock first so ids in a room are assigned in commit order.
    session.execute(update(Room).where(col(Room.id) == room.id).values(last_message_at=utcnow()))
    status = MessageStatus.HELD if verdict.action == Action.HOLD else MessageStatus.VISIBLE
    msg = Message(
        room_id=room.id, author_id=author.id, client_id=client_id, text=text, status=status
    )
    session.add(msg)
    session.flush()
    flag = _flag_for(msg, author, verdict)
    if flag is not None:
        session.add(flag)
        session.flush()
    return Stored(msg, True, flag)


def _flag_for(msg: Message, author: User, verdict: Assessment) -> Flag | None:
    if not verdict.crisis and not verdict.harmful:
        return None
    severity = verdict.severity.value
    return Flag(
        source="pipeline",
        message_id=msg.id,
        room_id=msg.room_id,
        subject_id=author.id,
        severity=severity,
        priority=SEVERITY_PRIORITY.get(severity, 0),
        reason="crisis" if verdict.crisis else "harmful",
        categories=",".join(verdict.harmful_categories)[:255],
        cues=",".join(verdict.crisis_cues)[:500],
        model_state=verdict.model[:32],
        text_snapshot=msg.text,
    )


def history(session: Session, room: Room, *, after: int, limit: int) -> list[tuple[Message, str]]:
    """Visible messages after an id, oldest first, with their authors' handles.

    Held messages released after the `after` message was written are included too:
    a client that was away at release time would otherwise never see them.
    """
    after_created = None
    if after > 0:
        after_created = session.exec(select(Message.created_at).where(Message.id == after)).first()
    cond = col(Message.id) > after
    if after_created is not None:
        cond = or_(cond, col(Message.released_at) > after_created)
    rows = session.exec(
        select(Message, User.handle)
        .join(User, col(User.id) == Message.author_id, isouter=True)
        .where(Message.room_id == room.id, Message.status == MessageStatus.VISIBLE, cond)
        .order_by(col(Message.id))
        .limit(limit)
    ).all()
    return [(m, h or "former member") for m, h in rows]
