"""Recurrence in the group's zone: DST in three zones, rules, exceptions, odd local times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from community.meetings.recurrence import (
    Cancel,
    Move,
    Occurrence,
    Recurrence,
    Schedule,
    ScheduleError,
    next_occurrence,
    occurrences,
)

SUNDAY, TUESDAY, THURSDAY, FRIDAY = 6, 1, 3, 4


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def weekly(
    tz: str,
    start: date,
    at: time = time(19),
    *,
    days: tuple[int, ...] = (SUNDAY,),
    every: int = 1,
    exceptions: tuple[Cancel | Move, ...] = (),
    until: date | None = None,
    count: int | None = None,
) -> Schedule:
    rule = Recurrence("weekly", every, days, until=until, count=count)
    return Schedule(tz, start, at, 90, rule, exceptions)


def starts(schedule: Schedule, first: datetime, last: datetime) -> list[datetime]:
    return [occ.start for occ in occurrences(schedule, first, last)]


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        # New York: DST starts 2026-03-08, ends 2026-11-01 (both Sundays).
        (
            "America/New_York",
            {
                date(2026, 3, 1): utc(2026, 3, 2, 0),
                date(2026, 3, 8): utc(2026, 3, 8, 23),
                date(2026, 10, 25): utc(2026, 10, 25, 23),
                date(2026, 11, 1): utc(2026, 11, 2, 0),
            },
        ),
        # London: BST starts 2026-03-29, ends 2026-10-25.
        (
            "Europe/London",
            {
                date(2026, 3, 22): utc(2026, 3, 22, 19),
                date(2026, 3, 29): utc(2026, 3, 29, 18),
                date(2026, 10, 18): utc(2026, 10, 18, 18),
                date(2026, 10, 25): utc(2026, 10, 25, 19),
            },
        ),
        # Sydney (southern): DST ends 2026-04-05 and starts 2026-10-04.
        (
            "Australia/Sydney",
            {
                date(2026, 3, 29): utc(2026, 3, 29, 8),
                date(2026, 4, 5): utc(2026, 4, 5, 9),
                date(2026, 9, 27): utc(2026, 9, 27, 9),
                date(2026, 10, 4): utc(2026, 10, 4, 8),
            },
        ),
    ],
)
def test_weekly_meeting_keeps_local_time_across_dst(
    tz: str, expected: dict[date, datetime]
) -> None:
    schedule = weekly(tz, date(2026, 1, 4))
    found = {
        occ.original_date: occ for occ in occurrences(schedule, utc(2026, 1, 1), utc(2027, 1, 1))
    }
    assert len(found) == 52
    for day, start in expected.items():
        assert found[day].start == start
        assert found[day].end - found[day].start == timedelta(minutes=90)
    zone = ZoneInfo(tz)
    assert {occ.start.astimezone(zone).time() for occ in found.values()} == {time(19)}
    assert {occ.start.tzinfo for occ in found.values()} == {UTC}


def test_every_other_week_counts_weeks_from_the_start_week() -> None:
    # Starts on a Thursday: that week's Tuesday is before the start, so it is skipped.
    schedule = weekly("Europe/London", date(2026, 1, 8), days=(TUESDAY, THURSDAY), every=2)
    days = [occ.original_date for occ in occurrences(schedule, utc(2026, 1, 1), utc(2026, 2, 10))]
    assert days == [
        date(2026, 1, 8),
        date(2026, 1, 20),
        date(2026, 1, 22),
        date(2026, 2, 3),
        date(2026, 2, 5),
    ]


@pytest.mark.parametrize(
    ("nth", "weekday", "start", "expected"),
    [
        (
            2,
            TUESDAY,
            date(2026, 1, 1),
            [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)],
        ),
        (
            -1,
            FRIDAY,
            date(2026, 1, 1),
            [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24)],
        ),
        # The start falls after January's 2nd Tuesday: the series begins in February.
        (2, TUESDAY, date(2026, 1, 20), [date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]),
    ],
)
def test_monthly_nth_weekday(nth: int, weekday: int, start: date, expected: list[date]) -> None:
    rule = Recurrence("monthly_nth", nth=nth, weekday=weekday)
    schedule = Schedule("America/New_York", start, time(18, 30), 60, rule)
    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 4, 30))
    assert [occ.original_date for occ in found] == expected
    zone = ZoneInfo("America/New_York")
    assert {occ.start.astimezone(zone).time() for occ in found} == {time(18, 30)}


def test_until_is_inclusive_and_count_limits_the_series() -> None:
    until = weekly("Europe/London", date(2026, 1, 4), until=date(2026, 1, 25))
    assert [o.original_date.day for o in occurrences(until, utc(2026, 1, 1), utc(2027, 1, 1))] == [
        4,
        11,
        18,
        25,
    ]
    counted = weekly("Europe/London", date(2026, 1, 4), count=3)
    assert [
        o.original_date.day for o in occurrences(counted, utc(2026, 1, 1), utc(2027, 1, 1))
    ] == [4, 11, 18]


def test_once() -> None:
    schedule = Schedule("Asia/Kolkata", date(2026, 5, 1), time(9), 60, Recurrence("once"))
    assert occurrences(schedule, utc(2026, 1, 1), utc(2027, 1, 1)) == [
        Occurrence(date(2026, 5, 1), utc(2026, 5, 1, 3, 30), utc(2026, 5, 1, 4, 30))
    ]


def test_cancel_removes_one_occurrence_but_still_counts() -> None:
    schedule = weekly(
        "Europe/London", date(2026, 1, 4), count=3, exceptions=(Cancel(date(2026, 1, 11)),)
    )
    days = [o.original_date.day for o in occurrences(schedule, utc(2026, 1, 1), utc(2027, 1, 1))]
    assert days == [4, 18]


def test_move_changes_time_and_duration_in_local_time() -> None:
    move = Move(date(2026, 3, 8), datetime(2026, 3, 10, 12, 0), 45)
    schedule = weekly("America/New_York", date(2026, 3, 1), exceptions=(move,))
    found = occurrences(schedule, utc(2026, 3, 1), utc(2026, 3, 16))
    assert [(o.original_date.day, o.start, o.moved) for o in found] == [
        (1, utc(2026, 3, 2, 0), False),
        (8, utc(2026, 3, 10, 16), True),  # 12:00 EDT
        (15, utc(2026, 3, 15, 23), False),
    ]
    assert found[1].end == utc(2026, 3, 10, 16, 45)


def test_move_far_away_is_found_in_its_new_window() -> None:
    move = Move(date(2026, 1, 4), datetime(2026, 6, 1, 19, 0))
    schedule = weekly("Europe/London", date(2026, 1, 4), count=2, exceptions=(move,))
    assert [o.original_date for o in occurrences(schedule, utc(2026, 5, 30), utc(2026, 6, 5))] == [
        date(2026, 1, 4)
    ]
    assert [
        o.original_date.day for o in occurrences(schedule, utc(2026, 1, 1), utc(2026, 1, 31))
    ] == [11]


def test_spring_forward_gap_shifts_forward_by_the_gap() -> None:
    # 02:30 does not exist in New York on 2026-03-08: read with the pre-gap offset (EST),
    # i.e. 07:30Z == 03:30 EDT, as RFC 5545 3.3.5 and PEP 495 fold=0 say.
    schedule = weekly("America/New_York", date(2026, 3, 1), time(2, 30))
    found = occurrences(schedule, utc(2026, 3, 1), utc(2026, 3, 16))
    assert [o.start for o in found] == [
        utc(2026, 3, 1, 7, 30),
        utc(2026, 3, 8, 7, 30),
        utc(2026, 3, 15, 6, 30),
    ]
    assert found[1].start.astimezone(ZoneInfo("America/New_York")).time() == time(3, 30)


def test_fall_back_ambiguous_time_uses_the_first_instant() -> None:
    # 01:30 happens twice in New York on 2026-11-01: the first (EDT, 05:30Z) is used.
    schedule = weekly("America/New_York", date(2026, 10, 25), time(1, 30))
    assert starts(schedule, utc(2026, 10, 25), utc(2026, 11, 9)) == [
        utc(2026, 10, 25, 5, 30),
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 8, 6, 30),
    ]


def test_window_includes_a_meeting_already_running() -> None:
    schedule = weekly("Europe/London", date(2026, 1, 4))
    assert starts(schedule, utc(2026, 1, 4, 20), utc(2026, 1, 4, 21)) == [utc(2026, 1, 4, 19)]
    assert starts(schedule, utc(2026, 1, 4, 20, 30), utc(2026, 1, 4, 21)) == []


def test_next_occurrence() -> None:
    schedule = weekly(
        "Europe/London", date(2026, 1, 4), count=3, exceptions=(Cancel(date(2026, 1, 11)),)
    )
    assert (
        next_occurrence(schedule, utc(2025, 12, 1))
        == occurrences(schedule, utc(2026, 1, 1), utc(2026, 1, 5))[0]
    )
    running = next_occurrence(schedule, utc(2026, 1, 4, 20))
    assert running is not None and running.original_date == date(2026, 1, 4)
    after_cancel = next_occurrence(schedule, utc(2026, 1, 5))
    assert after_cancel is not None and after_cancel.original_date == date(2026, 1, 18)
    assert next_occurrence(schedule, utc(2026, 1, 19)) is None


def test_next_occurrence_sees_a_move_to_an_earlier_time() -> None:
    move = Move(date(2026, 1, 18), datetime(2026, 1, 6, 19, 0))
    schedule = weekly("Europe/London", date(2026, 1, 4), exceptions=(move,))
    found = next_occurrence(schedule, utc(2026, 1, 5))
    assert found is not None and found.moved and found.start == utc(2026, 1, 6, 19)


def test_open_ended_series_far_in_the_future_is_cheap() -> None:
    schedule = weekly("Europe/London", date(2026, 1, 4))
    assert len(occurrences(schedule, utc(2046, 1, 1), utc(2046, 2, 1))) == 4


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: weekly("Mars/Olympus", date(2026, 1, 4)), "unknown time zone"),
        (lambda: weekly("../etc/passwd", date(2026, 1, 4)), "unknown time zone"),
        (lambda: weekly("UTC", date(2026, 1, 4), days=(7,)), "weekday must be"),
        (lambda: weekly("UTC", date(2026, 1, 4), days=()), "at least one weekday"),
        (lambda: weekly("UTC", date(2026, 1, 4), days=(1, 1)), "must not repeat"),
        (lambda: weekly("UTC", date(2026, 1, 4), every=0), "interval_weeks must be"),
        (lambda: weekly("UTC", date(2026, 1, 4), every=9), "interval_weeks must be"),
        (lambda: weekly("UTC", date(2026, 1, 4), until=date(2026, 2, 1), count=3), "not both"),
        (lambda: weekly("UTC", date(2026, 1, 4), until=date(2025, 2, 1)), "before the first"),
        (lambda: weekly("UTC", date(2026, 1, 4), count=0), "count must be"),
        (lambda: Recurrence("monthly_nth", nth=5, weekday=1), "nth must be"),
        (lambda: Recurrence("monthly_nth", nth=0, weekday=1), "nth must be"),
        (lambda: Recurrence("monthly_nth", nth=2), "needs a weekday"),
        (lambda: Recurrence("daily"), "unknown recurrence"),  # type: ignore[arg-type]
        (lambda: Recurrence("once", count=2), "one-off"),
        (
            lambda: Schedule("UTC", date(2026, 1, 4), time(19), 10, Recurrence("once")),
            "duration_minutes",
        ),
        (
            lambda: Schedule("UTC", date(2026, 1, 4), time(19), 481, Recurrence("once")),
            "duration_minutes",
        ),
        (
            lambda: Schedule("UTC", datetime(2026, 1, 4), time(19), 60, Recurrence("once")),
            "start must be a date",
        ),
        (
            lambda: Schedule("UTC", date(2026, 1, 4), time(19, tzinfo=UTC), 60, Recurrence("once")),
            "naive local time",
        ),
        (
            lambda: weekly("UTC", date(2026, 1, 4), exceptions=(Cancel(date(2026, 1, 5)),)),
            "not one of",
        ),
        (
            lambda: weekly(
                "UTC",
                date(2026, 1, 4),
                exceptions=(Cancel(date(2026, 1, 4)), Cancel(date(2026, 1, 4))),
            ),
            "more than one exception",
        ),
        (
            lambda: weekly(
                "UTC", date(2026, 1, 4), exceptions=(Move(date(2026, 1, 4), utc(2026, 1, 5, 19)),)
            ),
            "naive local datetime",
        ),
        (
            lambda: weekly(
                "UTC", date(2026, 1, 4), count=2, exceptions=(Cancel(date(2026, 1, 18)),)
            ),
            "not one of",
        ),
    ],
)
def test_invalid_schedules_are_refused_clearly(build: object, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        build()  # type: ignore[operator]


def test_window_must_be_aware_and_ordered() -> None:
    schedule = weekly("UTC", date(2026, 1, 4))
    with pytest.raises(ScheduleError, match="aware"):
        occurrences(schedule, datetime(2026, 1, 1), utc(2026, 2, 1))
    with pytest.raises(ScheduleError, match="after its start"):
        occurrences(schedule, utc(2026, 2, 1), utc(2026, 1, 1))
