"""Rooms and memberships."""

from __future__ import annotations

import re
import secrets

from sqlmodel import Session, select

from community.models import Membership, Room, RoomKind, User

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$")


class RoomError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def get_room(session: Session, slug: str) -> Room | None:
    return session.exec(select(Room).where(Room.slug == slug)).first()


def get_membership(session: Session, room: Room, user: User | None) -> Membership | None:
    if user is None or room.id is None:
        return None
    return session.exec(
        select(Membership).where(Membership.room_id == room.id, Membership.user_id == user.id)
    ).first()


def check_room(session: Session, slug: str, name: str, kind: str) -> None:
    if not SLUG_RE.match(slug):
        raise RoomError("slug", "Use 3-48 lower-case letters, numbers and '-' for the address.")
    if not name.strip() or len(name) > 80:
        raise RoomError("name", "Give the room a name of up to 80 characters.")
    if kind not in {k.value for k in RoomKind}:
        raise RoomError("kind", "A room is public or private.")
    if get_room(session, slug) is not None:
        raise RoomError("slug", "A room with that address already exists.")


def do_create_room(
    session: Session,
    *,
    slug: str,
    name: str,
    creator: User | None,
    description: str = "",
    kind: str = RoomKind.PUBLIC,
    hold_crisis: bool = False,
) -> Room:
    check_room(session, slug, name, kind)
    room = Room(
        slug=slug,
        name=name.strip(),
        description=description.strip()[:500],
        kind=kind,
        hold_crisis=hold_crisis,
        created_by=creator.id if creator else None,
        invite_code=secrets.token_urlsafe(9) if kind == RoomKind.PRIVATE else None,
    )
    session.add(room)
    session.flush()
    if creator is not None:
        do_join(session, room, creator)
    return room


def do_join(session: Session, room: Room, user: User) -> Membership:
    existing = get_membership(session, room, user)
    if existing is not None:
        return existing
    assert room.id is not None and user.id is not None
    membership = Membership(room_id=room.id, user_id=user.id)
    session.add(membership)
    session.flush()
    return membership


def do_leave(session: Session, room: Room, user: User) -> None:
    membership = get_membership(session, room, user)
    if membership is not None:
        session.delete(membership)


def rooms_for(session: Session, user: User | None) -> list[tuple[Room, bool]]:
    """Rooms a person can see on the home page, with whether they have joined."""
    rooms = session.exec(select(Room).where(Room.hidden == False).order_by(Room.name)).all()  # noqa: E712
    joined: set[int] = set()
    if user is not None:
        joined = set(session.exec(select(Membership.room_id).where(Membership.user_id == user.id)))
    return [(r, r.id in joined) for r in rooms if r.kind == RoomKind.PUBLIC or r.id in joined]
