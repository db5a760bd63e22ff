"""Sending messages: validate, store (with its moderation flag) and commit.

Publishing is the caller's job and happens only after the commit (Zulip's
publish-after-commit): a client is acknowledged only for what is stored.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, insert, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from community.models import Flag, Membership, Message, MessageStatus, Room, User, utcnow
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


@dataclass(frozen=True)
class Poster:
    """Fresh rows for one send: who, where, their membership, any earlier copy."""

    user: User | None
    room: Room | None
    membership: Membership | None
    existing: Message | None


_U, _R, _M, _E = (t.__table__ for t in (User, Room, Membership, Message))  # type: ignore[union-attr]


# rooms.last_message_at and last_seq change with every message: reading them would
# defeat the model cache below, and nothing on the send path needs them.
_ROOM_COLS = [c for c in _R.c if c.name not in ("last_message_at", "last_seq")]


def _labelled(columns: Any, prefix: str) -> list[Any]:
    return [c.label(prefix + c.name) for c in columns]


# The send path's whole read in one statement, built once (SQLAlchemy's compiled
# cache then skips compilation): a send used to cost four ORM queries here.
_POSTER = (
    sa_select(*_labelled(_U.c, "u_"), *_labelled(_ROOM_COLS, "r_"), *_labelled(_M.c, "m_"))
    .add_columns(*_labelled(_E.c, "e_"))
    .select_from(
        _U.join(_R, _R.c.id == bindparam("room_id"))
        .outerjoin(_M, and_(_M.c.room_id == _R.c.id, _M.c.user_id == _U.c.id))
        .outerjoin(
            _E,
            and_(
                _E.c.room_id == _R.c.id,
                _E.c.author_id == _U.c.id,
                _E.c.client_id == bindparam("client_id"),
            ),
        )
    )
    .where(_U.c.id == bindparam("user_id"))
)
_TOUCH_ROOM = (
    update(_R)
    .where(_R.c.id == bindparam("rid"))
    .values(last_message_at=bindparam("at"), last_seq=_R.c.last_seq + 1)
    .returning(_R.c.last_seq)
)
_INSERT = insert(_E).returning(_E.c.id)


def load_poster(conn: Connection, *, user_id: int, room_id: int, client_id: str) -> Poster:
    """One read; the user and room are both None if either row is gone."""
    row = conn.execute(
        _POSTER, {"user_id": user_id, "room_id": room_id, "client_id": client_id}
    ).first()
    if row is None:
        return Poster(None, None, None, None)
    m = row._mapping
    user, room, membership = _rows_as_models(tuple(row)[:_N_URM], m)
    existing = Message(**_fields(m, _E.c, "e_")) if m["e_id"] is not None else None
    return Poster(user, room, membership, existing)


_N_URM = len(_U.c) + len(_ROOM_COLS) + len(_M.c)
_MODELS: dict[tuple[Any, ...], tuple[User, Room, Membership | None]] = {}


def _rows_as_models(key: tuple[Any, ...], m: Any) -> tuple[User, Room, Membership | None]:
    """Models for these exact column values, built once (building cost ~0.3 ms a send).

    The key is every column read, so any change (a mute, a ban, a closed room) is a
    new key and fresh models. Callers only read them.
    """
    found = _MODELS.get(key)
    if found is None:
        membership = Membership(**_fields(m, _M.c, "m_")) if m["m_id"] is not None else None
        found = (User(**_fields(m, _U.c, "u_")), Room(**_fields(m, _ROOM_COLS, "r_")), membership)
        if len(_MODELS) >= 4096:
            _MODELS.clear()  # crude, but bounded; a busy process refills it in seconds
        _MODELS[key] = found
    return found


def _fields(mapping: Any, columns: Any, prefix: str) -> dict[str, Any]:
    return {c.name: mapping[prefix + c.name] for c in columns}


def insert_message(
    conn: Connection, *, room_id: int, author_id: int, client_id: str, text: str, status: str
) -> Message:
    """Insert in the caller's transaction; raises IntegrityError for a raced retry."""
    now = utcnow()
    # Take the room's row lock first: it is held to the commit, so ids and sequence
    # numbers in a room are assigned in commit order, and sequence numbers have no
    # hole (a rolled-back send rolls its increment back too).
    seq = conn.execute(_TOUCH_ROOM, {"rid": room_id, "at": now}).scalar_one()
    values: dict[str, Any] = {"room_id": room_id, "author_id": author_id,
                              "client_id": client_id, "text": text, "status": status,
                              "created_at": now, "room_seq": seq}  # fmt: skip
    msg_id = conn.execute(_INSERT, values).scalar_one()
    return Message(id=msg_id, **values)


def status_for(verdict: Assessment) -> str:
    return MessageStatus.HELD if verdict.action == Action.HOLD else MessageStatus.VISIBLE


def store_flag(conn: Connection, msg: Message, author_id: int, verdict: Assessment) -> Flag | None:
    """The moderation flag of a new message, if it needs one (rare: ORM is fine here)."""
    flag = _flag_for(msg, author_id, verdict)
    if flag is None:
        return None
    # Bound to the caller's connection: the flag commits or rolls back with the message.
    with Session(bind=conn, expire_on_commit=False) as session:
        session.add(flag)
        session.flush()
        session.expunge(flag)
    return flag


def _flag_for(msg: Message, author_id: int, verdict: Assessment) -> Flag | None:
    if not verdict.crisis and not verdict.harmful:
        return None
    severity = verdict.severity.value
    return Flag(
        source="pipeline",
        message_id=msg.id,
        room_id=msg.room_id,
        subject_id=author_id,
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


def visible_in_seq_range(
    session: Session, room: Room, *, first: int, stop: int, limit: int
) -> list[tuple[Message, str]]:
    """Visible messages with `first <= room_seq < stop`, in sequence order.

    For filling a hole in live delivery: the caller has seen `stop` committed, so
    every number below it is committed too; the ones missing here are held, removed
    or erased, and are simply not there.
    """
    rows = session.exec(
        select(Message, User.handle)
        .join(User, col(User.id) == Message.author_id, isouter=True)
        .where(
            Message.room_id == room.id,
            col(Message.room_seq) >= first,
            col(Message.room_seq) < stop,
            Message.status == MessageStatus.VISIBLE,
        )
        .order_by(col(Message.room_seq))
        .limit(limit)
    ).all()
    return [(m, h or "former member") for m, h in rows]


def last_seq(session: Session, room: Room) -> int:
    """The room's last sequence number as committed now."""
    found = session.exec(select(Room.last_seq).where(Room.id == room.id)).first()
    return found or 0
