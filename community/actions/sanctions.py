"""Acting on a member: check-ins, warnings, mutes, bans and staff notes.

These handlers serve both a queue item (through `moderation.do_flag_action`) and the
member's own page (`do_member_action`). Mutes and bans ask `access.access_sanction`,
so staff can only be sanctioned by an admin and nobody sanctions themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session

from community import access
from community.actions.moderation_base import (
    ActionInput,
    Done,
    ModerationError,
    Publish,
    Target,
    audit,
)
from community.actions.rooms import get_membership
from community.broker.channels import user_channel
from community.events import iso
from community.models import StaffNote, User

MEMBER_ACTIONS = ("note", "check_in", "warning", "mute", "ban")
DEFAULT_STAFF_TEXT = {
    "check_in": "A moderator is checking in: how are you doing? You can reply in the room, "
    "and the Get help now page lists people you can talk to at any hour.",
    "warning": "A moderator has asked you to follow the community guidelines in your messages.",
}

Handler = Callable[[Session, Target, ActionInput, datetime], Done]


def _staff_message(kind: str) -> Handler:
    def act(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
        subject = _need_subject(t)
        assert subject.id is not None
        audit(session, t, kind, inp.reason)
        text = inp.text or DEFAULT_STAFF_TEXT[kind]
        payload = {"type": "staff_message", "kind": kind, "text": text}
        label = "Check-in" if kind == "check_in" else "Warning"
        return Done(
            f"{label} sent to {subject.handle}.", [Publish(user_channel(subject.id), payload)]
        )

    return act


def _mute(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    subject = _need_subject(t)
    _sanction_allowed(t.actor, subject)
    until = now + timedelta(minutes=inp.minutes)
    room = t.room if inp.scope == "room" else None
    if inp.scope == "room" and room is None:
        raise ModerationError("no_room", "This item has no room: mute everywhere instead.")
    if room is not None:
        membership = get_membership(session, room, subject)
        if membership is None:
            raise ModerationError("not_member", f"{subject.handle} is not a member of this room.")
        membership.muted_until = until
    else:
        subject.muted_until = until
        t.room = None  # the audit entry must say "everywhere"
    audit(session, t, "mute", f"{inp.minutes} min; {inp.reason}".rstrip("; "))
    assert subject.id is not None
    payload = {"type": "muted", "room": room.slug if room else None, "until": iso(until)}
    where = f"in {room.slug}" if room else "everywhere"
    return Done(
        f"{subject.handle} is muted {where} until {until:%H:%M} UTC.",
        [Publish(user_channel(subject.id), payload)],
    )


def _ban(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    subject = _need_subject(t)
    _sanction_allowed(t.actor, subject)
    subject.banned = True
    # A new epoch invalidates every token and cookie they hold.
    subject.session_epoch += 1
    audit(session, t, "ban", inp.reason)
    assert subject.id is not None
    return Done(
        f"{subject.handle} is banned.", [Publish(user_channel(subject.id), {"type": "banned"})]
    )


def _note(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    subject = _need_subject(t)
    if not inp.text:
        raise ModerationError("empty", "Write the note first.")
    assert subject.id is not None
    session.add(StaffNote(subject_id=subject.id, author_id=t.actor.id, text=inp.text))
    audit(session, t, "note", inp.reason)
    return Done(f"Note added about {subject.handle}.")


def _need_subject(t: Target) -> User:
    if t.subject is None:
        raise ModerationError("no_member", "This item has no member to act on.")
    return t.subject


def _sanction_allowed(actor: User, subject: User) -> None:
    decision = access.access_sanction(actor, subject)
    if not decision:
        raise ModerationError(decision.code, decision.message, 403)


SANCTION_HANDLERS: dict[str, Handler] = {
    "check_in": _staff_message("check_in"),
    "warning": _staff_message("warning"),
    "mute": _mute,
    "ban": _ban,
    "note": _note,
}


def do_member_action(
    session: Session, *, subject_id: int, actor: User, action: str, inp: ActionInput, now: datetime
) -> Done:
    """Note, check-in, warning, mute everywhere or ban, from the member's page.

    Precondition: the caller has checked access_moderate(actor).
    """
    if action not in MEMBER_ACTIONS:
        raise ModerationError("unknown_action", "Unknown action.", 404)
    subject = session.get(User, subject_id)
    if subject is None:
        raise ModerationError("not_found", "No such member.", 404)
    inp = ActionInput(inp.reason, inp.text, inp.minutes, "everywhere")
    return SANCTION_HANDLERS[action](session, Target(actor, subject), inp, now)
