"""Moderator actions and member reports: check_* validates, do_* writes and audits.

Every do_* runs inside the caller's transaction and returns the events to publish;
the caller publishes them only after the commit (Zulip's publish-after-commit), so
nobody is told about a release, removal or ban that did not happen.

Acting on a flag claims it first with one conditional UPDATE, so two moderators can
never act on the same item at once: the loser gets "already claimed by X".

Over ~300 lines because claiming, the nine actions and member reports share the
Target/Done/audit shapes; reports are the natural piece to split out next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from community import access
from community.actions.rooms import get_membership
from community.broker.channels import moderators_channel, room_channel, user_channel
from community.events import iso, message_event
from community.models import (
    AuditEntry,
    Flag,
    Message,
    MessageStatus,
    Room,
    StaffNote,
    User,
)

REPORT_REASONS = ("harassment", "hate", "spam", "at_risk", "other")
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
MEMBER_ACTIONS = ("note", "check_in", "warning", "mute", "ban")
# Minutes offered for a mute: 15 min, 1 h, 1 day, 1 week.
MUTE_MINUTES = (15, 60, 1440, 10080)
DEFAULT_STAFF_TEXT = {
    "check_in": "A moderator is checking in: how are you doing? You can reply in the room, "
    "and the Get help now page lists people you can talk to at any hour.",
    "warning": "A moderator has asked you to follow the community guidelines in your messages.",
}
AT_RISK_PRIORITY = 2  # "someone at risk" reports sort with high crisis flags
MAX_REASON = 500
MAX_NOTE = 2000


class ModerationError(ValueError):
    """An action that cannot be done; `status` is the HTTP status to answer with."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Publish:
    channel: str
    payload: dict[str, Any]


@dataclass
class Done:
    """What an action did: a line for the moderator and the events to publish."""

    notice: str
    events: list[Publish] = field(default_factory=list)
    flag: Flag | None = None


@dataclass(frozen=True)
class ActionInput:
    reason: str = ""
    text: str = ""  # the check-in/warning text, or the staff note
    minutes: int = 60
    scope: str = "room"  # mute scope: "room" or "everywhere"


@dataclass
class Target:
    """What an action is about, loaded once: a flag's message, room and author, or a member."""

    actor: User
    subject: User | None
    flag: Flag | None = None
    message: Message | None = None
    room: Room | None = None


# --- input checks -------------------------------------------------------------


def check_reason(raw: object, *, required: bool = False, what: str = "a reason") -> str:
    text = raw.strip() if isinstance(raw, str) else ""
    if required and not text:
        raise ModerationError("reason_required", f"Please write {what}.")
    if len(text) > MAX_REASON:
        raise ModerationError("too_long", f"Keep it to {MAX_REASON} characters.")
    return text


def check_minutes(raw: object) -> int:
    try:
        minutes = int(str(raw))
    except ValueError:
        minutes = -1
    if minutes not in MUTE_MINUTES:
        raise ModerationError("bad_duration", "Choose a mute length from the list.")
    return minutes


def check_input(form: Any) -> ActionInput:
    """Build ActionInput from form fields; raises ModerationError on bad values."""
    scope = str(form.get("scope") or "room")
    if scope not in ("room", "everywhere"):
        raise ModerationError("bad_scope", "Mute in this room or everywhere.")
    text = str(form.get("text") or "").strip()
    if len(text) > MAX_NOTE:
        raise ModerationError("too_long", f"Keep it to {MAX_NOTE} characters.")
    minutes = check_minutes(form.get("minutes") or 60)
    return ActionInput(check_reason(form.get("reason")), text, minutes, scope)


# --- audit --------------------------------------------------------------------


def audit(session: Session, target: Target, action: str, reason: str = "") -> None:
    """Append one audit entry: ids and the moderator's reason, never message text."""
    session.add(
        AuditEntry(
            actor_id=target.actor.id,
            action=action,
            subject_id=target.subject.id if target.subject else None,
            message_id=target.message.id if target.message else None,
            flag_id=target.flag.id if target.flag else None,
            room_id=target.room.id if target.room else None,
            reason=reason[:MAX_REASON],
        )
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


# --- the actions ----------------------------------------------------------------


def _release(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    msg, room = _need_message(t)
    if msg.status != MessageStatus.HELD:
        raise ModerationError(
            "not_held", "That message is not held, so there is nothing to release."
        )
    msg.status, msg.released_at = MessageStatus.VISIBLE, now
    audit(session, t, "release", inp.reason)
    author = t.subject.handle if t.subject else "former member"
    room_event = Publish(room_channel(room.slug), message_event(msg, room.slug, author))
    return Done("Released: the room can see the message now.", [room_event])


def _remove(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    msg, room = _need_message(t)
    if msg.status == MessageStatus.REMOVED:
        raise ModerationError("already_removed", "That message was already removed.")
    msg.status = MessageStatus.REMOVED
    audit(session, t, "remove", inp.reason)
    gone = Publish(room_channel(room.slug), {"type": "message_removed", "id": msg.id})
    return Done("Removed from the room.", [gone])


def _staff_message(kind: str) -> Callable[[Session, Target, ActionInput, datetime], Done]:
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


def _follow_up(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    what = check_reason(inp.reason, required=True, what="what was done")
    audit(session, t, "follow_up", what)
    return Done("Marked as followed up.", [_close(t, "resolved", now, "follow_up")])


def _dismiss(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    audit(session, t, "dismiss", inp.reason)
    return Done("Dismissed.", [_close(t, "dismissed", now, "dismiss")])


def _note(session: Session, t: Target, inp: ActionInput, now: datetime) -> Done:
    subject = _need_subject(t)
    if not inp.text:
        raise ModerationError("empty", "Write the note first.")
    assert subject.id is not None
    session.add(StaffNote(subject_id=subject.id, author_id=t.actor.id, text=inp.text))
    audit(session, t, "note", inp.reason)
    return Done(f"Note added about {subject.handle}.")


Handler = Callable[[Session, Target, ActionInput, datetime], Done]
HANDLERS: dict[str, Handler] = {
    "release": _release,
    "remove": _remove,
    "check_in": _staff_message("check_in"),
    "warning": _staff_message("warning"),
    "mute": _mute,
    "ban": _ban,
    "follow_up": _follow_up,
    "dismiss": _dismiss,
    "note": _note,
}
# Actions that settle the item; the rest (check-in, mute, ...) leave it open and claimed.
RESOLVING = {"release", "remove"}


def _need_message(t: Target) -> tuple[Message, Room]:
    if t.message is None or t.room is None:
        raise ModerationError("no_message", "This item has no message to act on.")
    return t.message, t.room


def _need_subject(t: Target) -> User:
    if t.subject is None:
        raise ModerationError("no_member", "This item has no member to act on.")
    return t.subject


def _sanction_allowed(actor: User, subject: User) -> None:
    decision = access.access_sanction(actor, subject)
    if not decision:
        raise ModerationError(decision.code, decision.message, 403)


# --- entry points ---------------------------------------------------------------


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


def do_member_action(
    session: Session, *, subject_id: int, actor: User, action: str, inp: ActionInput, now: datetime
) -> Done:
    """Note, check-in, warning, mute everywhere or ban, from the member's page."""
    if action not in MEMBER_ACTIONS:
        raise ModerationError("unknown_action", "Unknown action.", 404)
    subject = session.get(User, subject_id)
    if subject is None:
        raise ModerationError("not_found", "No such member.", 404)
    inp = ActionInput(inp.reason, inp.text, inp.minutes, "everywhere")
    return HANDLERS[action](session, Target(actor, subject), inp, now)


def _flag_target(session: Session, actor: User, flag: Flag) -> Target:
    msg = session.get(Message, flag.message_id) if flag.message_id else None
    room = session.get(Room, flag.room_id) if flag.room_id else None
    subject = session.get(User, flag.subject_id) if flag.subject_id else None
    return Target(actor, subject, flag, msg, room)


# --- member reports -------------------------------------------------------------


def check_report(reason: object, note: object) -> tuple[str, str]:
    if reason not in REPORT_REASONS:
        raise ModerationError("bad_reason", "Choose why you are reporting this message.")
    text = note.strip() if isinstance(note, str) else ""
    if len(text) > MAX_REASON:
        raise ModerationError("too_long", f"Keep the note to {MAX_REASON} characters.")
    return str(reason), text


def do_report(
    session: Session, *, message_id: int, reporter: User, reason: str, note: str
) -> tuple[Flag, Room, bool]:
    """File a member report as a Flag (source "report"); a repeat returns the open one.

    Returns (flag, room, created). Refuses messages the reporter cannot see.
    """
    msg = session.get(Message, message_id)
    room = session.get(Room, msg.room_id) if msg else None
    if msg is None or room is None or msg.status != MessageStatus.VISIBLE:
        raise ModerationError("not_found", "That message does not exist.", 404)
    decision = access.access_report(reporter, room, get_membership(session, room, reporter))
    if not decision:
        status = {"unauthorised": 401, "not_found": 404}.get(decision.code, 403)
        raise ModerationError(decision.code, decision.message, status)
    existing = session.exec(
        select(Flag).where(
            Flag.message_id == msg.id,
            Flag.reporter_id == reporter.id,
            Flag.source == "report",
            Flag.status == "open",
        )
    ).first()
    if existing is not None:
        return existing, room, False
    at_risk = reason == "at_risk"
    flag = Flag(
        source="report",
        message_id=msg.id,
        room_id=room.id,
        subject_id=msg.author_id,
        reporter_id=reporter.id,
        severity="high" if at_risk else "none",
        priority=AT_RISK_PRIORITY if at_risk else 0,
        reason=reason,
        detail=note,
        text_snapshot=msg.text,
    )
    session.add(flag)
    session.flush()
    return flag, room, True


def report_event(flag: Flag, room: Room) -> dict[str, Any]:
    """The moderators' `flag` event for a report: same shape as a pipeline flag's."""
    return {
        "type": "flag",
        "source": "report",
        "flag_id": flag.id,
        "severity": flag.severity,
        "priority": flag.priority,
        "reason": flag.reason,
        "room": room.slug,
        "message_id": flag.message_id,
        "cues": [],
        "categories": [],
    }
