"""What every moderator action shares: the error, the result and input shapes, audit.

Its own module so that flag actions (`moderation`), sanctions and member reports
can each live apart without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from community.models import AuditEntry, Flag, Message, Room, User

# Minutes offered for a mute: 15 min, 1 h, 1 day, 1 week.
MUTE_MINUTES = (15, 60, 1440, 10080)
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
