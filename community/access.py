"""Who may see, post, moderate or facilitate: every route and socket asks here.

These are pure functions of already-loaded rows, so they are cheap to test
exhaustively (tests/test_access.py) and cannot drift between HTTP and websocket.
A `Decision` carries the reason shown to the person refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from community.models import Membership, Role, Room, RoomKind, User

STAFF_ROLES = {Role.MODERATOR, Role.ADMIN}
ROOM_CREATOR_ROLES = {Role.FACILITATOR, Role.ADMIN}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: str = "ok"
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def _refuse(code: str, message: str) -> Decision:
    return Decision(False, code, message)


def is_active(user: User | None) -> bool:
    return user is not None and not user.banned and user.deleted_at is None


def access_moderate(user: User | None) -> Decision:
    if not is_active(user):
        return _refuse("unauthorised", "Please log in.")
    assert user is not None
    if user.role not in STAFF_ROLES:
        return _refuse("forbidden", "Only moderators can do that.")
    return ALLOW


def access_create_room(user: User | None) -> Decision:
    if not is_active(user):
        return _refuse("unauthorised", "Please log in.")
    assert user is not None
    if user.role not in ROOM_CREATOR_ROLES:
        return _refuse("forbidden", "Only facilitators and admins can create rooms.")
    return ALLOW


def access_facilitate(user: User | None, room_creator_id: int | None) -> Decision:
    """Facilitator controls: the room's own facilitator, or an admin/moderator."""
    if not is_active(user):
        return _refuse("unauthorised", "Please log in.")
    assert user is not None
    if user.role in STAFF_ROLES:
        return ALLOW
    if user.role == Role.FACILITATOR and user.id == room_creator_id:
        return ALLOW
    return _refuse("forbidden", "Only this group's facilitator can do that.")


def access_join_room(user: User | None, room: Room, invite_code: str | None) -> Decision:
    if not is_active(user):
        return _refuse("unauthorised", "Please log in to join a room.")
    if room.hidden:
        return _refuse("not_found", "This room does not exist.")
    if room.kind == RoomKind.PUBLIC:
        return ALLOW
    assert user is not None
    if user.role in STAFF_ROLES:
        return ALLOW
    if room.invite_code and invite_code and invite_code == room.invite_code:
        return ALLOW
    return _refuse("forbidden", "This is a private room: you need an invite code to join.")


def access_view_room(user: User | None, room: Room, membership: Membership | None) -> Decision:
    """Read a room's messages: members of it, staff, or anyone logged in for public rooms."""
    if not is_active(user):
        return _refuse("unauthorised", "Please log in.")
    assert user is not None
    if room.hidden and user.role not in STAFF_ROLES:
        return _refuse("not_found", "This room does not exist.")
    if room.kind == RoomKind.PUBLIC or user.role in STAFF_ROLES or membership is not None:
        return ALLOW
    return _refuse("forbidden", "This is a private room for its members.")


def access_post(
    user: User | None, room: Room, membership: Membership | None, now: datetime
) -> Decision:
    seen = access_view_room(user, room, membership)
    if not seen:
        return seen
    assert user is not None
    if membership is None:
        return _refuse("not_member", "Join this room to post in it.")
    if room.read_only:
        return _refuse("read_only", "This room is closed: you can read it but not post.")
    for until in (user.muted_until, membership.muted_until):
        if until is not None and until > now:
            return _refuse("muted", f"You are muted until {until:%Y-%m-%d %H:%M} UTC.")
    return ALLOW


def access_report(user: User | None, room: Room, membership: Membership | None) -> Decision:
    """Report a message to moderators: anyone who can read the room it is in."""
    return access_view_room(user, room, membership)


def access_sanction(actor: User | None, subject: User) -> Decision:
    """Mute or ban someone: staff only, never oneself; only admins may sanction staff."""
    decision = access_moderate(actor)
    if not decision:
        return decision
    assert actor is not None
    if actor.id == subject.id:
        return _refuse("forbidden", "You can't mute or ban yourself.")
    if subject.role in STAFF_ROLES and actor.role != Role.ADMIN:
        return _refuse("forbidden", "Only an admin can mute or ban a moderator or admin.")
    return ALLOW


def access_create_meeting(user: User | None) -> Decision:
    """Create a facilitated meeting group: facilitators and admins (as for rooms)."""
    if not is_active(user):
        return _refuse("unauthorised", "Please log in.")
    assert user is not None
    if user.role not in ROOM_CREATOR_ROLES:
        return _refuse("forbidden", "Only facilitators and admins can create meetings.")
    return ALLOW
