"""Opens and closes meeting rooms on time.

``step(session, now)`` applies ``phases.phase_at`` to every occurrence that is due or still
pending and returns the events to publish after the commit; ``apply_phases`` runs it and
publishes; ``MeetingScheduler`` calls that every few seconds from the app's lifespan, reading
the time from an injectable ``Clock`` (so tests move a ``FrozenClock`` instead of sleeping).

Each transition is claimed with a compare-and-set on ``MeetingOccurrence.phase``, so with
several web processes exactly one applies (and announces) it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from community.broker.channels import room_channel
from community.db import run_db
from community.events import dumps, iso
from community.meetings.clock import Clock, SystemClock
from community.meetings.phases import MAX_LOBBY_MINUTES, Phase, phase_at
from community.meetings.phases import Room as PhaseRoom
from community.meetings.recurrence import Occurrence, Schedule, ScheduleError, occurrences
from community.meetings.service import (
    LOOKBACK,
    OPEN_PHASES,
    ensure_row,
    find_row,
    occurrence_on,
    phase_room,
    retention_of,
    room_of,
    schedule_of,
)
from community.meetings.tables import MeetingGroup, MeetingOccurrence, MeetingSeat
from community.models import Flag, Membership, Message

log = logging.getLogger("hearth.meetings")
Event = tuple[str, dict[str, Any]]
ENDED = (Phase.CLOSED, Phase.HIDDEN)


def step(session: Session, now: datetime) -> list[Event]:
    """Bring every meeting room up to date with ``now``; returns events to publish."""
    events: list[Event] = []
    for group in session.exec(select(MeetingGroup)):
        try:
            events += step_group(session, group, now)
        except ScheduleError:
            log.error("meeting group %s has an invalid stored schedule; skipped", group.id)
    return events


def step_group(session: Session, group: MeetingGroup, now: datetime) -> list[Event]:
    """One group: advance its occurrences, then set its room's read_only/hidden flags."""
    events: list[Event] = []
    for occ, row in _candidates(session, group, schedule_of(group), now):
        events += _advance(session, group, occ, row, now)
    _apply_room_flags(session, group)
    return events


def phase_event(group: MeetingGroup, row: MeetingOccurrence, room: PhaseRoom) -> dict[str, Any]:
    return {
        "type": "meeting_phase",
        "meeting": group.id,
        "occurrence": row.occurrence_date.isoformat(),
        "phase": row.phase,
        "opens_at": iso(room.opens_at),
        "starts_at": iso(room.occurrence.start),
        "ends_at": iso(room.ends_at),
        "locked": row.locked,
    }


def _candidates(
    session: Session, group: MeetingGroup, schedule: Schedule, now: datetime
) -> list[tuple[Occurrence, MeetingOccurrence | None]]:
    """Occurrences near ``now`` plus stored ones that may still change phase."""
    final = [Phase.HIDDEN] + ([Phase.CLOSED] if retention_of(group).mode == "keep" else [])
    pending = session.exec(
        select(MeetingOccurrence).where(
            MeetingOccurrence.group_id == group.id,
            col(MeetingOccurrence.phase).not_in([p.value for p in final]),
        )
    )
    found: dict[Any, tuple[Occurrence | None, MeetingOccurrence | None]] = {
        row.occurrence_date: (occurrence_on(schedule, row.occurrence_date), row) for row in pending
    }
    window_end = now + timedelta(minutes=MAX_LOBBY_MINUTES + 1)
    for occ in occurrences(schedule, now - LOOKBACK, window_end):
        if occ.original_date not in found:
            found[occ.original_date] = (occ, find_row(session, group, occ.original_date))
    return [(occ, row) for occ, row in found.values() if occ is not None]


def _advance(
    session: Session,
    group: MeetingGroup,
    occ: Occurrence,
    row: MeetingOccurrence | None,
    now: datetime,
) -> list[Event]:
    room = phase_room(group, occ, row)
    new = phase_at(room, now)
    if row is None and new == Phase.SCHEDULED:
        return []
    row = row or ensure_row(session, group, occ.original_date)
    old = Phase(row.phase)
    if old == new:
        return []
    claim = (
        update(MeetingOccurrence)
        .where(col(MeetingOccurrence.id) == row.id, col(MeetingOccurrence.phase) == old.value)
        .values(phase=new.value)
    )
    if session.execute(claim).rowcount != 1:  # type: ignore[attr-defined]
        return []  # another process applied this transition
    session.refresh(row)
    _effects(session, group, row, old, new)
    return [(room_channel(room_of(session, group).slug), phase_event(group, row, room))]


def _effects(
    session: Session,
    group: MeetingGroup,
    row: MeetingOccurrence,
    old: Phase,
    new: Phase,
) -> None:
    if new in OPEN_PHASES and old == Phase.SCHEDULED:
        # Entry to a new occurrence goes through the join flow (lock, capacity) again.
        _drop_memberships(session, group, keep_seated_in=row)
    if new in ENDED and old not in ENDED:
        # No names after the meeting: only the attendance number stays.
        session.execute(delete(MeetingSeat).where(col(MeetingSeat.occurrence_id) == row.id))
        row.round_kind, row.round_turn = None, 0
        session.add(row)
    if new == Phase.HIDDEN:
        _drop_memberships(session, group, keep_seated_in=None)
        if retention_of(group).deletes_messages:
            _delete_messages(session, group.room_id)


def _drop_memberships(
    session: Session, group: MeetingGroup, *, keep_seated_in: MeetingOccurrence | None
) -> None:
    """Remove everyone but the facilitator (and people seated in ``keep_seated_in``)."""
    keep: set[int | None] = {group.facilitator_id}
    if keep_seated_in is not None:
        seats = select(MeetingSeat).where(MeetingSeat.occurrence_id == keep_seated_in.id)
        keep |= {seat.user_id for seat in session.exec(seats)}
    query = delete(Membership).where(
        col(Membership.room_id) == group.room_id,
        col(Membership.user_id).not_in([k for k in keep if k is not None]),
    )
    session.execute(query)


def _delete_messages(session: Session, room_id: int) -> None:
    """Delete every message in the room: it only holds this occurrence's (the previous
    occurrence's were deleted when it ended, and a closed room takes no posts).
    Moderation flags keep their own record, without the link."""
    ids = select(Message.id).where(Message.room_id == room_id)
    session.execute(update(Flag).where(col(Flag.message_id).in_(ids)).values(message_id=None))
    session.execute(delete(Message).where(col(Message.id).in_(ids)))


def _apply_room_flags(session: Session, group: MeetingGroup) -> None:
    """Open while any occurrence is in lobby/live; else follow the latest ended one."""
    rows = select(MeetingOccurrence).where(MeetingOccurrence.group_id == group.id)
    open_row = session.exec(
        rows.where(col(MeetingOccurrence.phase).in_([p.value for p in OPEN_PHASES]))
    ).first()
    latest = session.exec(
        rows.where(col(MeetingOccurrence.phase).in_([p.value for p in ENDED])).order_by(
            col(MeetingOccurrence.occurrence_date).desc()
        )
    ).first()
    read_only = open_row is None
    hidden = open_row is None and latest is not None and latest.phase == Phase.HIDDEN
    room = room_of(session, group)
    if (room.read_only, room.hidden) != (read_only, hidden):
        room.read_only, room.hidden = read_only, hidden
        session.add(room)


async def publish_all(state: Any, events: list[Event]) -> None:
    for channel, event in events:
        await state.chat.publish(channel, dumps(event))


async def apply_phases(state: Any, now: datetime) -> list[Event]:
    """Run ``step`` in a committed transaction, then publish its events."""
    events = await run_db(state.engine, lambda session: step(session, now))
    await publish_all(state, events)
    return events


class MeetingScheduler:
    """Calls ``apply_phases`` every ``interval`` seconds until closed."""

    def __init__(self, state: Any, clock: Clock, interval: float) -> None:
        self.state, self.clock, self.interval = state, clock, interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            try:
                await apply_phases(self.state, self.clock.now())
            except Exception:  # keep the loop alive; the next tick retries
                log.exception("meeting scheduler step failed")
            await asyncio.sleep(self.interval)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


def start_scheduler(state: Any) -> MeetingScheduler:
    """Use ``state.meeting_clock`` if a test set one; tick 0 disables the loop (tests)."""
    clock: Clock = getattr(state, "meeting_clock", None) or SystemClock()
    state.meeting_clock = clock
    scheduler = MeetingScheduler(state, clock, state.settings.meetings_tick_seconds)
    if scheduler.interval > 0:
        scheduler.start()
    return scheduler
