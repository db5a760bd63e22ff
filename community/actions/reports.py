"""Member reports: anyone who can read a message may ask moderators to look at it.

A report is filed as a `Flag` with source "report", so it joins the same queue, is
claimed and closed the same way as a pipeline flag, and tells moderators with the
same `flag` event.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from community import access
from community.actions.moderation_base import MAX_REASON, ModerationError
from community.actions.rooms import get_membership
from community.models import Flag, Message, MessageStatus, Room, User

REPORT_REASONS = ("harassment", "hate", "spam", "at_risk", "other")
AT_RISK_PRIORITY = 2  # "someone at risk" reports sort with high crisis flags
MESSAGE_MISSING = access.Decision(False, "not_found", "That message does not exist.")


def check_report(reason: object, note: object) -> tuple[str, str]:
    if reason not in REPORT_REASONS:
        raise ModerationError("bad_reason", "Choose why you are reporting this message.")
    text = note.strip() if isinstance(note, str) else ""
    if len(text) > MAX_REASON:
        raise ModerationError("too_long", f"Keep the note to {MAX_REASON} characters.")
    return str(reason), text


def reportable(
    session: Session, message_id: int, user: User
) -> tuple[Message, Room] | access.Decision:
    """The message and room, if `user` may report it (they can see it)."""
    msg = session.get(Message, message_id)
    room = session.get(Room, msg.room_id) if msg else None
    if msg is None or room is None or msg.status != MessageStatus.VISIBLE:
        return MESSAGE_MISSING
    decision = access.access_report(user, room, get_membership(session, room, user))
    return (msg, room) if decision else decision


def do_report(
    session: Session, *, message_id: int, reporter: User, reason: str, note: str
) -> tuple[Flag, Room, bool]:
    """File a member report as a Flag (source "report"); a repeat returns the open one.

    Returns (flag, room, created). Refuses messages the reporter cannot see.
    """
    found = reportable(session, message_id, reporter)
    if isinstance(found, access.Decision):
        status = {"unauthorised": 401, "not_found": 404}.get(found.code, 403)
        raise ModerationError(found.code, found.message, status)
    msg, room = found
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
