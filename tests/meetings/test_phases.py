"""The room lifecycle, driven by a FrozenClock: no sleeping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from community.meetings.clock import FrozenClock, SystemClock
from community.meetings.phases import (
    Overrides,
    Phase,
    Refusal,
    Retention,
    Room,
    may_join,
    may_post,
    may_view,
    next_transition_at,
    phase_at,
)
from community.meetings.recurrence import Occurrence

START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
OCCURRENCE = Occurrence(date(2026, 3, 10), START, START + timedelta(minutes=90))


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def room(**changes: object) -> Room:
    base = Room(OCCURRENCE, lobby_minutes=15, retention=Retention("hide_after", 24))
    return replace(base, **changes)  # type: ignore[arg-type]


def walk(subject: Room, clock: FrozenClock) -> list[tuple[datetime, Phase]]:
    """Follow next_transition_at from the clock's time until nothing changes any more."""
    seen = [(clock.now(), phase_at(subject, clock.now()))]
    while (moment := next_transition_at(subject, clock.now())) is not None:
        clock.set(moment)
        seen.append((moment, phase_at(subject, moment)))
    return seen


def test_whole_lifecycle_with_hide_after() -> None:
    clock = FrozenClock(START - timedelta(hours=2))
    assert walk(room(), clock) == [
        (START - timedelta(hours=2), Phase.SCHEDULED),
        (START - minutes(15), Phase.LOBBY),
        (START, Phase.LIVE),
        (START + minutes(90), Phase.CLOSED),
        (START + minutes(90) + timedelta(hours=24), Phase.HIDDEN),
    ]


def test_phase_boundaries_are_inclusive_of_the_new_phase() -> None:
    clock = FrozenClock(START - minutes(15) - timedelta(microseconds=1))
    assert phase_at(room(), clock.now()) == Phase.SCHEDULED
    clock.advance(timedelta(microseconds=1))
    assert phase_at(room(), clock.now()) == Phase.LOBBY
    clock.advance(minutes(15) - timedelta(microseconds=1))
    assert phase_at(room(), clock.now()) == Phase.LOBBY
    clock.advance(timedelta(microseconds=1))
    assert phase_at(room(), clock.now()) == Phase.LIVE


def test_keep_retention_stays_closed_forever() -> None:
    clock = FrozenClock(START + minutes(100))
    keep = room(retention=Retention("keep"))
    assert phase_at(keep, clock.now()) == Phase.CLOSED
    assert next_transition_at(keep, clock.now()) is None
    clock.advance(timedelta(days=3650))
    assert phase_at(keep, clock.now()) == Phase.CLOSED and may_view(keep, clock.now())


def test_delete_on_end_hides_immediately() -> None:
    deleting = room(retention=Retention("delete_on_end"))
    assert deleting.retention.deletes_messages
    assert walk(deleting, FrozenClock(START))[1:] == [(START + minutes(90), Phase.HIDDEN)]
    assert not may_view(deleting, START + minutes(90))


def test_open_early_opens_the_lobby_not_the_meeting() -> None:
    early = room(overrides=Overrides(opened_early_at=START - minutes(40)))
    clock = FrozenClock(START - minutes(41))
    assert next_transition_at(early, clock.now()) == START - minutes(40)
    assert phase_at(early, clock.advance(minutes(1))) == Phase.LOBBY
    assert phase_at(early, START - minutes(1)) == Phase.LOBBY
    assert phase_at(early, START) == Phase.LIVE


def test_opening_early_later_than_the_lobby_changes_nothing() -> None:
    late = room(overrides=Overrides(opened_early_at=START - minutes(5)))
    assert late.opens_at == START - minutes(15)


def test_extend_pushes_the_close() -> None:
    extended = room(overrides=Overrides(extended_by_minutes=20))
    assert phase_at(extended, START + minutes(100)) == Phase.LIVE
    assert next_transition_at(extended, START + minutes(100)) == START + minutes(110)
    assert phase_at(extended, START + minutes(110)) == Phase.CLOSED


def test_end_early_closes_and_starts_the_retention_clock() -> None:
    ended = room(overrides=Overrides(ended_at=START + minutes(30)))
    clock = FrozenClock(START + minutes(10))
    assert walk(ended, clock)[1:] == [
        (START + minutes(30), Phase.CLOSED),
        (START + minutes(30) + timedelta(hours=24), Phase.HIDDEN),
    ]


def test_ending_before_the_start_skips_live() -> None:
    called_off = room(overrides=Overrides(ended_at=START - minutes(10)))
    clock = FrozenClock(START - minutes(12))
    assert walk(called_off, clock) == [
        (START - minutes(12), Phase.LOBBY),
        (START - minutes(10), Phase.CLOSED),
        (START - minutes(10) + timedelta(hours=24), Phase.HIDDEN),
    ]


def test_join_before_open_says_when_it_opens() -> None:
    decision = may_join(room(), START - minutes(30), present=0, capacity=10)
    assert not decision.allowed and decision.reason is Refusal.NOT_OPEN
    assert decision.opens_at == START - minutes(15)
    assert may_join(room(), START - minutes(30), present=0, capacity=10, facilitator=True).allowed


def test_join_in_lobby_and_live() -> None:
    for now in (START - minutes(15), START + minutes(89)):
        decision = may_join(room(), now, present=3, capacity=10)
        assert decision.allowed and decision.reason is None


def test_locked_room_refuses_new_joiners_but_not_returning_ones() -> None:
    locked = room(overrides=Overrides(locked=True))
    decision = may_join(locked, START + minutes(5), present=3, capacity=10)
    assert (decision.allowed, decision.reason, decision.message) == (
        False,
        Refusal.LOCKED,
        "This meeting is locked.",
    )
    assert may_join(locked, START + minutes(5), present=3, capacity=10, returning=True).allowed
    assert may_join(locked, START + minutes(5), present=3, capacity=10, facilitator=True).allowed


def test_full_room_says_so_with_the_capacity() -> None:
    decision = may_join(room(), START, present=12, capacity=12)
    assert not decision.allowed and decision.reason is Refusal.FULL
    assert "This meeting is full" in decision.message and "12" in decision.message
    assert may_join(room(), START, present=11, capacity=12).allowed
    assert may_join(room(), START, present=500, capacity=None).allowed
    assert may_join(room(), START, present=12, capacity=12, facilitator=True).allowed
    with pytest.raises(ValueError, match="capacity"):
        may_join(room(), START, present=0, capacity=0)


def test_nobody_joins_a_closed_room() -> None:
    for now in (START + minutes(90), START + timedelta(days=2)):
        decision = may_join(room(), now, present=0, capacity=None, facilitator=True)
        assert not decision.allowed and decision.reason is Refusal.CLOSED


def test_posting_only_in_lobby_and_live() -> None:
    assert not may_post(room(), START - minutes(16))
    assert may_post(room(), START - minutes(15))
    assert may_post(room(), START + minutes(89))
    assert not may_post(room(), START + minutes(90))
    assert may_view(room(), START + minutes(90))
    assert not may_view(room(), START + timedelta(hours=26))


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="lobby_minutes"):
        room(lobby_minutes=-1)
    with pytest.raises(ValueError, match="extended_by_minutes"):
        Overrides(extended_by_minutes=-5)
    with pytest.raises(ValueError, match="aware"):
        Overrides(ended_at=datetime(2026, 3, 10, 19))
    with pytest.raises(ValueError, match="hide_after_hours"):
        Retention("hide_after", 0)
    with pytest.raises(ValueError, match="retention mode"):
        Retention("forever")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="aware"):
        phase_at(room(), datetime(2026, 3, 10, 19))


def test_clocks() -> None:
    with pytest.raises(ValueError, match="aware"):
        FrozenClock(datetime(2026, 1, 1))
    clock = FrozenClock(datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=2))))
    assert clock.now() == datetime(2025, 12, 31, 23, tzinfo=UTC) and clock.now().tzinfo is UTC
    now = SystemClock().now()
    assert now.tzinfo is UTC and abs(datetime.now(UTC) - now) < timedelta(seconds=5)
