"""Moderator actions on queue items: claim, then act; check_* validates, do_* writes.

Every do_* runs inside the caller's transaction and returns the events to publish;
the caller publishes them only after the commit (Zulip's publish-after-commit), so
nobody is told about a release, removal or ban that did not happen.

Acting on a flag claims it first with one conditional UPDATE, so two moderators can
never act on the same item at once: the loser gets "already claimed by X".
Shared shapes live in `moderation_base`, actions on a member in `sanctions`, member
reports in `reports`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col

from community.actions.moderation_base import (
    ActionInput,
    Done,
    ModerationError,
    Publish,
    Target,
    audit,
    check_reason,
)
from community.actions.sanctions import SANCTION_HANDLERS, Handler
from community.broker.channels import moderators_channel, room_channel
from community.events import iso, released_event
from community.models import Flag, Message, MessageStatus, Room, User

FLAG_ACTIONS = (
    "claim",
    "release",
    "remove",
    "check_in",
    "warning",
    "mute",
    "ban",
    "follow_up",
    "dismiss",
)


# --- claiming -----------------------------------------------------------------


def do_claim(session: Session, *, flag_id: int, actor: User, now: datetime, minutes: int) -> Flag:
    """Claim an open flag for `minutes`, or extend one's own claim.

    Atomic: one UPDATE guarded by "unclaimed, lapsed or mine", checked by rowcount, so
    two moderators racing for the same flag cannot both win on any database.
    Call it first in its transaction (SQLite: no snapshot taken before the write).
    """
    free = or_(
        col(Flag.claimed_by).is_(None),
        col(Flag.claimed_until) < now,
        col(Flag.claimed_by) == actor.id,
    )
    result = session.execute(
        update(Flag)
        .where(col(Flag.id) == flag_id, col(Flag.status) == "open", free)
        .values(claimed_by=actor.id, claimed_until=now + timedelta(minutes=minutes))
    )
    flag = session.get(Flag, flag_id, populate_existing=True)
    if result.rowcount == 1 and flag is not None:  # type: ignore[attr-defined]
        return flag
    raise _claim_refusal(session, flag)


def _claim_refusal(session: Session, flag: Flag | None) -> ModerationError:
    if flag is None:
        return ModerationError("not_found", "That queue item does not exist.", 404)
    if flag.status != "open":
        return ModerationError("closed", f"That item was already {flag.status}.", 409)
    holder = session.get(User, flag.claimed_by) if flag.claimed_by else None
    name = holder.handle if holder else "another moderator"
    until = f" until {flag.claimed_until:%H:%M} UTC" if flag.claimed_until else ""
    return ModerationError("claimed", f"Already claimed by {name}{until}.", 409)


def claim_event(flag: Flag, actor: User) -> Publish:
    until = iso(flag.claimed_until) if flag.claimed_until else None
    payload = {"type": "claimed", "flag_id": flag.id, "by": actor.handle, "until": until}
    return Publish(moderators_channel(), payload)


def _close(target: Target, status: str, now: datetime, action: str) -> Publish:
    flag = target.flag
    assert flag is not None
    flag.status, flag.resolved_at = status, now
    payload = {
        "type": "closed",
        "flag_id": flag.id,
        "status": status,
        "action": action,
        "by": target.actor.handle,
    }
    return Publish(moderators_channel(), payload)


# --- actions on the flagged message and the item itself ---------------------------


def _release(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    msg, room = _need_message(t)
    if msg.status != MessageStatus.HELD:
        raise ModerationError(
            "not_held", "That message is not held, so there is nothing to release."
        )
    msg.status, msg.released_at = MessageStatus.VISIBLE, now
    audit(session, t, "release", inp.reason)
    author = t.subject.handle if t.subject else "former member"
    room_event = Publish(room_channel(room.slug), released_event(msg, room.slug, author))
    return Done("Released: the room can see the message now.", [room_event])


def _remove(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    msg, room = _need_message(t)
    if msg.status == MessageStatus.REMOVED:
        raise ModerationError("already_removed", "That message was already removed.")
    msg.status = MessageStatus.REMOVED
    audit(session, t, "remove", inp.reason)
    gone = Publish(room_channel(room.slug), {"type": "message_removed", "id": msg.id})
    return Done("Removed from the room.", [gone])


def _follow_up(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    what = check_reason(inp.reason, required=True, what="what was done")
    audit(session, t, "follow_up", what)
    return Done("Marked as followed up.", [_close(t, "resolved", now, "follow_up")])


def _dismiss(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    audit(session, t, "dismiss", inp.reason)
    return Done("Dismissed.", [_close(t, "dismissed", now, "dismiss")])


HANDLERS: dict[str, Handler] = {
    "release": _release,
    "remove": _remove,
    **SANCTION_HANDLERS,
    "follow_up": _follow_up,
    "dismiss": _dismiss,
}
# Actions that settle the item; the rest (check-in, mute, ...) leave it open and claimed.
RESOLVING = {"release", "remove"}


def _need_message(t: Target) -> tuple[Message, Room]:
    if t.message is None or t.room is None:
        raise ModerationError("no_message", "This item has no message to act on.")
    return t.message, t.room


# --- entry point ------------------------------------------------------------------


def do_flag_action(
    session: Session,
    *,
    flag_id: int,
    actor: User,
    action: str,
    inp: ActionInput,
    now: datetime,
    claim_minutes: int,
) -> Done:
    """Claim the flag (refused if someone else holds it), then act on it and audit.

    Precondition: the caller has checked access_moderate(actor).
    """
    if action not in FLAG_ACTIONS:
        raise ModerationError("unknown_action", "Unknown action.", 404)
    flag = do_claim(session, flag_id=flag_id, actor=actor, now=now, minutes=claim_minutes)
    target = _flag_target(session, actor, flag)
    if action == "claim":
        audit(session, target, "claim")
        notice = "Claimed: it's yours for the next few minutes."
        return Done(notice, [claim_event(flag, actor)], flag)
    done = HANDLERS[action](session, target, inp, now)
    if action in RESOLVING:
        done.events.append(_close(target, "resolved", now, action))
    elif flag.status == "open":
        done.events.append(claim_event(flag, actor))
    done.flag = flag
    return done


def _flag_target(session: Session, actor: User, flag: Flag) -> Target:
    msg = session.get(Message, flag.message_id) if flag.message_id else None
    room = session.get(Room, flag.room_id) if flag.room_id else None
    subject = session.get(User, flag.subject_id) if flag.subject_id else None
    return Target(actor, subject, flag, msg, room)
