"""Facilitator controls and turn-taking, as database actions returning events to publish.

Callers check ``access.access_facilitate`` first (members may only raise or lower their own
hand); every function acts on the group's current occurrence and raises ``MeetingError``
with a message fit to show when the action does not apply right now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, func, select

from community.actions.rooms import get_membership
from community.broker.channels import room_channel, user_channel
from community.events import iso
from community.meetings.phases import MAX_EXTENSION_MINUTES, Phase
from community.meetings.scheduler import Event, phase_event, step_group
from community.meetings.service import (
    OPEN_PHASES,
    Current,
    MeetingError,
    current,
    ensure_row,
    phase_room,
    room_of,
    seat_of,
    seated,
)
from community.meetings.tables import MeetingGroup, MeetingOccurrence, MeetingSeat
from community.models import Message, User

EXTEND_MINUTES = 15
ROUND_KINDS = ("check-in", "check-out")


def acting_on(
    session: Session, group: MeetingGroup, now: datetime
) -> tuple[Current, MeetingOccurrence]:
    cur = current(session, group, now)
    if cur is None:
        raise MeetingError("meeting", "There is no meeting coming up.")
    return cur, ensure_row(session, group, cur.occurrence.original_date)


def _running(
    session: Session, group: MeetingGroup, now: datetime
) -> tuple[Current, MeetingOccurrence]:
    cur, row = acting_on(session, group, now)
    if cur.phase not in OPEN_PHASES:
        raise MeetingError("phase", "The meeting room is not open right now.")
    return cur, row


def _changed(
    session: Session, group: MeetingGroup, cur: Current, row: MeetingOccurrence, now: datetime
) -> list[Event]:
    """Re-run the scheduler for this group; announce the new times even without a new phase."""
    session.add(row)
    session.flush()
    events = step_group(session, group, now)
    if events:
        return events
    channel = room_channel(room_of(session, group).slug)
    return [(channel, phase_event(group, row, phase_room(group, cur.occurrence, row)))]


def do_open_early(session: Session, group: MeetingGroup, now: datetime) -> list[Event]:
    cur, row = acting_on(session, group, now)
    if cur.phase != Phase.SCHEDULED:
        raise MeetingError("phase", "The meeting room is already open.")
    row.opened_early_at = now
    return _changed(session, group, cur, row, now)


def do_extend(session: Session, group: MeetingGroup, now: datetime) -> list[Event]:
    cur, row = acting_on(session, group, now)
    if row.extended_by_minutes + EXTEND_MINUTES > MAX_EXTENSION_MINUTES:
        raise MeetingError(
            "extend", f"A meeting can be extended by {MAX_EXTENSION_MINUTES} minutes at most."
        )
    row.extended_by_minutes += EXTEND_MINUTES
    return _changed(session, group, cur, row, now)


def do_end(session: Session, group: MeetingGroup, now: datetime) -> list[Event]:
    cur, row = acting_on(session, group, now)
    row.ended_at = now
    return _changed(session, group, cur, row, now)


def do_lock(session: Session, group: MeetingGroup, now: datetime, *, locked: bool) -> list[Event]:
    cur, row = acting_on(session, group, now)
    row.locked = locked
    return _changed(session, group, cur, row, now)


def do_pin(
    session: Session,
    group: MeetingGroup,
    now: datetime,
    *,
    guidelines: bool,
    message_id: int | None,
) -> list[Event]:
    """Pin (or unpin, with False/None) the guidelines and one message of this meeting's room."""
    _, row = _running(session, group, now)
    if message_id is not None:
        msg = session.get(Message, message_id)
        if msg is None or msg.room_id != group.room_id:
            raise MeetingError("message_id", "That message is not in this meeting.")
    row.pinned_guidelines, row.pinned_message_id = guidelines, message_id
    session.add(row)
    event = {
        "type": "pinned",
        "meeting": group.id,
        "guidelines": guidelines,
        "message_id": message_id,
    }
    return [(room_channel(room_of(session, group).slug), event)]


def _participant(session: Session, group: MeetingGroup, handle: str) -> User:
    user = session.exec(select(User).where(User.handle_key == handle.strip().lower())).first()
    if user is None or get_membership(session, room_of(session, group), user) is None:
        raise MeetingError("handle", "That person is not in this meeting.")
    if user.id == group.facilitator_id:
        raise MeetingError("handle", "The group's facilitator cannot be muted or removed.")
    return user


def do_mute(session: Session, group: MeetingGroup, now: datetime, *, handle: str) -> list[Event]:
    """Mute someone in this meeting's room until the meeting ends."""
    cur, _ = _running(session, group, now)
    user = _participant(session, group, handle)
    membership = get_membership(session, room_of(session, group), user)
    assert membership is not None
    membership.muted_until = cur.room.ends_at
    session.add(membership)
    event = {"type": "participant_muted", "handle": user.handle, "until": iso(cur.room.ends_at)}
    return [(room_channel(room_of(session, group).slug), event)]


def do_remove(session: Session, group: MeetingGroup, now: datetime, *, handle: str) -> list[Event]:
    """Remove someone: membership deleted, and they cannot rejoin this occurrence."""
    cur, row = acting_on(session, group, now)
    user = _participant(session, group, handle)
    room = room_of(session, group)
    membership = get_membership(session, room, user)
    session.delete(membership)
    seat = seat_of(session, row, user)
    assert row.id is not None and user.id is not None
    seat = seat or MeetingSeat(occurrence_id=row.id, user_id=user.id)
    seat.removed, seat.hand_queued = True, None
    session.add(seat)
    return [
        (user_channel(user.id), {"type": "removed_from_room", "room": room.slug}),
        (room_channel(room.slug), {"type": "participant_removed", "handle": user.handle}),
    ]


# --- raise hand --------------------------------------------------------------


def hand_queue(session: Session, row: MeetingOccurrence | None) -> list[str]:
    waiting = [
        (seat.hand_queued, seat.id, h) for seat, h in seated(session, row) if seat.hand_queued
    ]
    return [handle for _, _, handle in sorted(waiting)]


def do_hand(
    session: Session, group: MeetingGroup, user: User, now: datetime, *, raised: bool
) -> list[Event]:
    _, row = _running(session, group, now)
    seat = seat_of(session, row, user)
    if seat is None or seat.removed:
        raise MeetingError("hand", "Join the meeting to raise your hand.")
    if raised and seat.hand_queued is None:
        top = session.exec(
            select(func.max(MeetingSeat.hand_queued)).where(MeetingSeat.occurrence_id == row.id)
        ).one()
        seat.hand_queued = (top or 0) + 1
    elif not raised:
        seat.hand_queued = None
    session.add(seat)
    session.flush()
    return [_hand_event(session, group, row, None)]


def do_call_next(session: Session, group: MeetingGroup, now: datetime) -> list[Event]:
    """Give the turn to the first raised hand (and lower it)."""
    _, row = _running(session, group, now)
    queue = hand_queue(session, row)
    if not queue:
        raise MeetingError("hand", "No hands are raised.")
    for seat, handle in seated(session, row):
        if handle == queue[0]:
            seat.hand_queued = None
            session.add(seat)
    session.flush()
    return [_hand_event(session, group, row, queue[0])]


def _hand_event(
    session: Session, group: MeetingGroup, row: MeetingOccurrence, called: str | None
) -> Event:
    event: dict[str, Any] = {
        "type": "hand",
        "meeting": group.id,
        "queue": hand_queue(session, row),
        "called": called,
    }
    return (room_channel(room_of(session, group).slug), event)


# --- check-in / check-out rounds ---------------------------------------------


def round_state(
    session: Session, group: MeetingGroup, row: MeetingOccurrence | None
) -> dict[str, Any]:
    """The round in progress: everyone's turn in order and whose turn it is now."""
    placed = sorted(
        (s.round_place, h) for s, h in seated(session, row) if s.round_place is not None
    )
    order = [handle for _, handle in placed]
    kind = row.round_kind if row else None
    turn = row.round_turn if row and kind else 0
    speaking = order[turn - 1] if kind and 0 < turn <= len(order) else None
    return {
        "type": "round",
        "meeting": group.id,
        "kind": kind,
        "order": order,
        "turn": turn,
        "current": speaking,
        "done": kind is None,
    }


def do_start_round(
    session: Session, group: MeetingGroup, now: datetime, *, kind: str
) -> list[Event]:
    if kind not in ROUND_KINDS:
        raise MeetingError("kind", "A round is a check-in or a check-out.")
    _, row = _running(session, group, now)
    people = seated(session, row)
    if not people:
        raise MeetingError("round", "Nobody has joined yet.")
    for place, (seat, _) in enumerate(people, start=1):
        seat.round_place = place
        session.add(seat)
    row.round_kind, row.round_turn = kind, 1
    session.add(row)
    session.flush()
    return [(room_channel(room_of(session, group).slug), round_state(session, group, row))]


def do_next_turn(session: Session, group: MeetingGroup, now: datetime) -> list[Event]:
    """Move to the next person; after the last one the round is done."""
    _, row = _running(session, group, now)
    if row.round_kind is None:
        raise MeetingError("round", "No round is in progress.")
    state = round_state(session, group, row)
    if row.round_turn >= len(state["order"]):
        row.round_kind, row.round_turn = None, 0
    else:
        row.round_turn += 1
    session.add(row)
    session.flush()
    return [(room_channel(room_of(session, group).slug), round_state(session, group, row))]
