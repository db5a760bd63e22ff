"""Database actions for meeting groups: create, find the current occurrence, join.

``check_*`` validates, ``do_*`` writes inside the caller's session; publishing events is the
caller's job, after the commit. The time is always passed in (``now`` from a ``Clock``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, cast

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from community.actions.rooms import do_create_room, do_join, get_membership
from community.meetings.codec import schedule_from_dict, schedule_to_dict
from community.meetings.phases import (
    JoinDecision,
    Overrides,
    Phase,
    Refusal,
    Retention,
    may_join,
    phase_at,
)
from community.meetings.phases import Room as PhaseRoom
from community.meetings.recurrence import (
    Change,
    Move,
    Occurrence,
    Schedule,
    next_occurrence,
    occurrences,
)
from community.meetings.tables import MeetingGroup, MeetingOccurrence, MeetingSeat
from community.models import Room, RoomKind, User

# Longest meeting (8 h) plus the longest extension (4 h), with a margin: an occurrence that
# started this long ago may still be running.
LOOKBACK = timedelta(hours=13)
OPEN_PHASES = (Phase.LOBBY, Phase.LIVE)


class MeetingError(ValueError):
    """Bad input or a refused action; ``message`` is fit to show the person."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class GroupSpec:
    title: str
    description: str
    guidelines: str
    schedule: Schedule
    lobby_minutes: int = 15
    capacity: int | None = None
    retention: Retention = Retention()


@dataclass(frozen=True)
class Current:
    """One occurrence with its stored overrides (``row`` is None until something happens)."""

    occurrence: Occurrence
    row: MeetingOccurrence | None
    room: PhaseRoom
    phase: Phase


def schedule_of(group: MeetingGroup) -> Schedule:
    return schedule_from_dict(group.schedule)


def retention_of(group: MeetingGroup) -> Retention:
    # Retention checks the value again (a hand-edited row fails loudly here).
    mode = cast(Literal["keep", "hide_after", "delete_on_end"], group.retention_mode)
    return Retention(mode, group.hide_after_hours)


def check_group(spec: GroupSpec) -> None:
    if not spec.title.strip() or len(spec.title) > 80:
        raise MeetingError("title", "Give the meeting a title of up to 80 characters.")
    if len(spec.description) > 1000:
        raise MeetingError("description", "Keep the description under 1000 characters.")
    if len(spec.guidelines) > 4000:
        raise MeetingError("guidelines", "Keep the guidelines under 4000 characters.")
    if spec.capacity is not None and not 2 <= spec.capacity <= 500:
        raise MeetingError("capacity", "Capacity must be 2-500 people, or blank for no limit.")


def do_create_group(session: Session, *, spec: GroupSpec, facilitator: User) -> MeetingGroup:
    """Create the group and its own private room, closed (read-only) until the first lobby."""
    check_group(spec)
    # A neutral address: the room slug must not spell out the group's topic.
    slug = f"meeting-{secrets.token_hex(5)}"
    room = do_create_room(
        session, slug=slug, name=spec.title, creator=facilitator, kind=RoomKind.PRIVATE
    )
    room.invite_code = None  # the only way in is the meeting's join flow
    room.read_only = True
    assert room.id is not None and facilitator.id is not None
    group = MeetingGroup(
        title=spec.title.strip(),
        description=spec.description.strip(),
        guidelines=spec.guidelines.strip(),
        facilitator_id=facilitator.id,
        schedule=schedule_to_dict(spec.schedule),
        lobby_minutes=spec.lobby_minutes,
        capacity=spec.capacity,
        retention_mode=spec.retention.mode,
        hide_after_hours=spec.retention.hide_after_hours,
        room_id=room.id,
    )
    session.add(group)
    session.flush()
    return group


def do_set_exception(session: Session, group: MeetingGroup, change: Change) -> None:
    """Cancel or move one occurrence (replacing any earlier change to the same date)."""
    schedule = schedule_of(group)
    kept = tuple(c for c in schedule.exceptions if c.original_date != change.original_date)
    updated = replace(schedule, exceptions=(*kept, change))  # validates: ScheduleError
    group.schedule = schedule_to_dict(updated)
    session.add(group)


def get_group(session: Session, group_id: int) -> MeetingGroup | None:
    return session.get(MeetingGroup, group_id)


def all_groups(session: Session) -> list[MeetingGroup]:
    return list(session.exec(select(MeetingGroup).order_by(col(MeetingGroup.id))))


def room_of(session: Session, group: MeetingGroup) -> Room:
    room = session.get(Room, group.room_id)
    assert room is not None  # the foreign key guarantees it
    return room


def find_row(session: Session, group: MeetingGroup, day: date) -> MeetingOccurrence | None:
    return session.exec(
        select(MeetingOccurrence).where(
            MeetingOccurrence.group_id == group.id, MeetingOccurrence.occurrence_date == day
        )
    ).first()


def ensure_row(session: Session, group: MeetingGroup, day: date) -> MeetingOccurrence:
    """The occurrence's row, created if missing (a concurrent creator wins harmlessly)."""
    row = find_row(session, group, day)
    if row is not None:
        return row
    assert group.id is not None
    try:
        with session.begin_nested():
            row = MeetingOccurrence(group_id=group.id, occurrence_date=day)
            session.add(row)
    except IntegrityError:  # another process created it first
        row = find_row(session, group, day)
        if row is None:
            raise
    return row


def phase_room(group: MeetingGroup, occ: Occurrence, row: MeetingOccurrence | None) -> PhaseRoom:
    overrides = Overrides()
    if row is not None:
        overrides = Overrides(
            row.opened_early_at, row.extended_by_minutes, row.ended_at, row.locked
        )
    return PhaseRoom(occ, group.lobby_minutes, overrides, retention_of(group))


def describe(session: Session, group: MeetingGroup, occ: Occurrence, now: datetime) -> Current:
    row = find_row(session, group, occ.original_date)
    room = phase_room(group, occ, row)
    return Current(occ, row, room, phase_at(room, now))


def current(session: Session, group: MeetingGroup, now: datetime) -> Current | None:
    """The occurrence the page and controls act on: the first one not yet closed."""
    schedule = schedule_of(group)
    seen = occurrences(schedule, now - LOOKBACK, now + timedelta(seconds=1))
    after = now
    for _ in range(3):  # skip occurrences a facilitator already ended early
        upcoming = next_occurrence(schedule, after)
        if upcoming is None:
            break
        seen.append(upcoming)
        after = upcoming.end
    by_date = {occ.original_date: occ for occ in seen}
    for occ in sorted(by_date.values(), key=lambda o: o.start):
        found = describe(session, group, occ, now)
        if found.phase not in (Phase.CLOSED, Phase.HIDDEN):
            return found
    return None


def occurrence_on(schedule: Schedule, day: date) -> Occurrence | None:
    """The occurrence the rule gives ``day`` (after a move, wherever it went); None if gone."""
    anchor = day
    for change in schedule.exceptions:
        if isinstance(change, Move) and change.original_date == day:
            anchor = change.new_start_local.date()
    start = datetime.combine(anchor, time(), tzinfo=UTC)
    found = occurrences(schedule, start - timedelta(days=2), start + timedelta(days=3))
    return next((occ for occ in found if occ.original_date == day), None)


def seated(session: Session, row: MeetingOccurrence | None) -> list[tuple[MeetingSeat, str]]:
    """Seats still in the meeting, in arrival order, with handles."""
    if row is None:
        return []
    query = (
        select(MeetingSeat, User.handle)
        .join(User, col(User.id) == MeetingSeat.user_id)
        .where(MeetingSeat.occurrence_id == row.id, MeetingSeat.removed == False)  # noqa: E712
        .order_by(col(MeetingSeat.joined_at), col(MeetingSeat.id))
    )
    return [(seat, handle) for seat, handle in session.exec(query)]


def seat_of(session: Session, row: MeetingOccurrence | None, user: User) -> MeetingSeat | None:
    if row is None:
        return None
    return session.exec(
        select(MeetingSeat).where(
            MeetingSeat.occurrence_id == row.id, MeetingSeat.user_id == user.id
        )
    ).first()


def check_join(
    session: Session,
    group: MeetingGroup,
    cur: Current | None,
    user: User,
    now: datetime,
    *,
    facilitator: bool,
) -> JoinDecision:
    if cur is None:
        return JoinDecision(False, Refusal.CLOSED, "There is no meeting coming up.")
    seat = seat_of(session, cur.row, user)
    if seat is not None and seat.removed:
        return JoinDecision(False, Refusal.CLOSED, "The facilitator removed you from this meeting.")
    present = _present(session, cur.row)
    return may_join(
        cur.room,
        now,
        present=present,
        capacity=group.capacity,
        facilitator=facilitator,
        returning=seat is not None,
    )


def _present(session: Session, row: MeetingOccurrence | None) -> int:
    if row is None:
        return 0
    query = select(func.count()).where(
        MeetingSeat.occurrence_id == row.id,
        MeetingSeat.removed == False,  # noqa: E712
    )
    return int(session.exec(query).one())


def do_join_meeting(
    session: Session, group: MeetingGroup, cur: Current, user: User
) -> MeetingOccurrence:
    """Seat the person (attendance counts each person once) and add them to the room.

    Precondition: ``check_join`` allowed it in this transaction.
    """
    row = ensure_row(session, group, cur.occurrence.original_date)
    assert row.id is not None and user.id is not None
    if seat_of(session, row, user) is None:
        session.add(MeetingSeat(occurrence_id=row.id, user_id=user.id))
        # In SQL, not Python: two processes seating people at once must both count.
        session.execute(
            update(MeetingOccurrence)
            .where(col(MeetingOccurrence.id) == row.id)
            .values(attendance=col(MeetingOccurrence.attendance) + 1)
        )
        session.refresh(row)
    do_join(session, room_of(session, group), user)
    session.flush()
    return row


def is_member(session: Session, group: MeetingGroup, user: User) -> bool:
    return get_membership(session, room_of(session, group), user) is not None
