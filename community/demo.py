"""A small demo community for `make run`: created once, reused afterwards."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from community.actions.accounts import do_register
from community.actions.rooms import do_create_room, do_join, get_room
from community.db import session_scope
from community.models import Role, RoomKind, User
from community.settings import Settings

# Demo accounts only: the passwords are printed on purpose and never used in production.
DEMO_USERS = [
    ("demo_admin", Role.ADMIN),
    ("demo_moderator", Role.MODERATOR),
    ("demo_facilitator", Role.FACILITATOR),
    ("river", Role.MEMBER),
    ("willow", Role.MEMBER),
]
DEMO_ROOMS = [
    ("welcome", "Welcome lounge", "Say hello and find your way around.", RoomKind.PUBLIC),
    (
        "recovery-circle",
        "Recovery circle",
        "Peer support for recovery from addiction.",
        RoomKind.PUBLIC,
    ),
    ("evening-group", "Evening group", "A private group run by a facilitator.", RoomKind.PRIVATE),
]


_WORDS = {
    "demo_admin": "lantern",
    "demo_moderator": "harbour",
    "demo_facilitator": "meadow",
    "river": "pebble",
    "willow": "kettle",
}


def demo_password(handle: str) -> str:
    # Must pass the same password rules as everyone (it may not contain the handle).
    return f"quiet-{_WORDS[handle]}-2026"


def seed(engine: Engine, settings: Settings) -> list[str]:
    if settings.production:
        return ["refusing to seed demo accounts in production"]
    lines = []
    with session_scope(engine) as session:
        users = {}
        for handle, role in DEMO_USERS:
            user = session.exec(select(User).where(User.handle_key == handle)).first()
            if user is None:
                user = do_register(
                    session,
                    handle=handle,
                    password=demo_password(handle),
                    accept_guidelines=True,
                    age_confirmed=True,
                    guidelines_version=settings.guidelines_version,
                    min_age=settings.min_age,
                    role=role,
                )
            users[handle] = user
            lines.append(f"  {role.value:<12} {handle:<18} password: {demo_password(handle)}")
        for slug, name, desc, kind in DEMO_ROOMS:
            room = get_room(session, slug)
            if room is None:
                room = do_create_room(
                    session,
                    slug=slug,
                    name=name,
                    description=desc,
                    kind=kind,
                    creator=users["demo_facilitator"],
                )
            for user in users.values():
                do_join(session, room, user)
            code = f" (invite code {room.invite_code})" if room.invite_code else ""
            lines.append(f"  room /rooms/{slug}{code}")
    return ["Demo community (development only):", *lines]
