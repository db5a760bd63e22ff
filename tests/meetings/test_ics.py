"""The ICS feed, parsed back with icalendar and expanded with dateutil, matches occurrences()."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar import Calendar, Event

from community.meetings.ics import NEUTRAL_TITLE, group_calendar
from community.meetings.recurrence import (
    Cancel,
    Move,
    Recurrence,
    Schedule,
    ScheduleError,
    occurrences,
)

STAMP = datetime(2026, 1, 1, tzinfo=UTC)
FAR_PAST, FAR_FUTURE = datetime(2020, 1, 1, tzinfo=UTC), datetime(2035, 1, 1, tzinfo=UTC)


def feed(schedule: Schedule, **options: Any) -> bytes:
    defaults: dict[str, Any] = {"uid_domain": "hearth.example", "group_id": 7, "stamp": STAMP}
    return group_calendar(schedule, **(defaults | options))


def expand(ics: bytes, window: tuple[datetime, datetime]) -> list[tuple[datetime, datetime]]:
    """What an RFC 5545 client shows: RRULE from DTSTART, minus EXDATE, overrides applied."""
    events = Calendar.from_ical(ics).events
    (series,) = [e for e in events if "RECURRENCE-ID" not in e]
    overrides = {e.decoded("recurrence-id"): e for e in events if "RECURRENCE-ID" in e}
    dtstart = series.decoded("dtstart")
    length = series.decoded("dtend").astimezone(UTC) - dtstart.astimezone(UTC)
    rule = rrule_of(series)
    instances = rule.between(window[0], window[1], inc=True)
    excluded = set(series.exdates)
    found = [
        (local, local.astimezone(UTC) + length) for local in instances if local not in excluded
    ]
    found = [(s, e) for s, e in found if s not in overrides]
    for moved in overrides.values():
        found.append((moved.decoded("dtstart"), moved.decoded("dtend")))
    return sorted((s.astimezone(UTC), e.astimezone(UTC)) for s, e in found)


def rrule_of(event: Event) -> Any:
    text = event["RRULE"].to_ical()
    return rrulestr(text.decode() if isinstance(text, bytes) else text, dtstart=event.start)


def expected(
    schedule: Schedule, window: tuple[datetime, datetime]
) -> list[tuple[datetime, datetime]]:
    return [(o.start, o.end) for o in occurrences(schedule, *window)]


CASES = {
    "weekly New York with cancel and move": Schedule(
        "America/New_York",
        date(2026, 1, 6),
        time(19),
        90,
        Recurrence("weekly", weekdays=(1, 3), until=date(2026, 12, 31)),
        (Cancel(date(2026, 3, 10)), Move(date(2026, 11, 3), datetime(2026, 11, 4, 18, 30), 60)),
    ),
    "every other week London, count, first one cancelled": Schedule(
        "Europe/London",
        date(2026, 3, 15),
        time(19),
        60,
        Recurrence("weekly", interval_weeks=2, weekdays=(6,), count=20),
        (Cancel(date(2026, 3, 15)),),
    ),
    "last Friday Sydney": Schedule(
        "Australia/Sydney",
        date(2026, 1, 1),
        time(19),
        75,
        Recurrence("monthly_nth", nth=-1, weekday=4, until=date(2027, 6, 30)),
    ),
    "2nd Tuesday New York, count": Schedule(
        "America/New_York",
        date(2026, 1, 1),
        time(12, 15),
        60,
        Recurrence("monthly_nth", nth=2, weekday=1, count=12),
    ),
    "02:30 falls in the spring-forward gap": Schedule(
        "America/New_York",
        date(2026, 3, 1),
        time(2, 30),
        60,
        Recurrence("weekly", weekdays=(6,), until=date(2026, 11, 30)),
    ),
    "01:30 is ambiguous at fall-back": Schedule(
        "America/New_York",
        date(2026, 3, 1),
        time(1, 30),
        60,
        Recurrence("weekly", weekdays=(6,), until=date(2026, 11, 30)),
    ),
    "open-ended Berlin": Schedule(
        "Europe/Berlin", date(2026, 1, 5), time(20), 90, Recurrence("weekly", weekdays=(0,))
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_feed_expands_to_the_same_occurrences(name: str) -> None:
    schedule = CASES[name]
    window = (FAR_PAST, datetime(2028, 1, 1, tzinfo=UTC))
    want = expected(schedule, window)
    assert len(want) >= 12
    assert expand(feed(schedule), window) == want


def test_vtimezone_matches_the_zone_used_for_each_occurrence() -> None:
    schedule = CASES["weekly New York with cancel and move"]
    calendar = Calendar.from_ical(feed(schedule))
    (vtimezone,) = calendar.timezones
    assert vtimezone["TZID"] == "America/New_York"
    # Read local times through the VTIMEZONE itself, as a client without tzdata would.
    from_vtimezone = vtimezone.to_tz()
    rule = rrule_of(calendar.events[0])
    for local in rule:
        wall = local.replace(tzinfo=from_vtimezone)
        assert wall.astimezone(UTC) == local.astimezone(UTC)


def test_event_is_neutral_and_carries_an_alarm() -> None:
    ics = feed(CASES["weekly New York with cancel and move"], url="https://hearth.example/m/7")
    calendar = Calendar.from_ical(ics)
    assert calendar["PRODID"] == "-//Hearth//Meetings//EN" and calendar["VERSION"] == "2.0"
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    for event in events:
        assert event["SUMMARY"] == NEUTRAL_TITLE
        assert not {"DESCRIPTION", "LOCATION", "CATEGORIES"} & set(event)
        assert event["UID"] == "group-7@hearth.example"
        assert event["URL"] == "https://hearth.example/m/7"
        (alarm,) = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY" and alarm["DESCRIPTION"] == NEUTRAL_TITLE
        assert alarm.decoded("trigger") == timedelta(minutes=-30)
    assert b"TRIGGER:-PT30M" in ics
    assert b"DTSTART;TZID=America/New_York:20260106T190000" in ics


def test_rrule_text() -> None:
    weekly = feed(CASES["every other week London, count, first one cancelled"])
    assert b"RRULE:FREQ=WEEKLY;COUNT=20;INTERVAL=2;BYDAY=SU;WKST=MO" in weekly
    assert b"EXDATE;TZID=Europe/London:20260315T190000" in weekly
    assert b"BYDAY=-1FR" in feed(CASES["last Friday Sydney"])
    assert b"BYDAY=2TU" in feed(CASES["2nd Tuesday New York, count"])
    # until 2026-12-31 is inclusive in New York: the end of that local day, in UTC.
    assert b"UNTIL=20270101T045959Z" in feed(CASES["weekly New York with cancel and move"])


def test_uid_is_stable_per_group_and_output_deterministic() -> None:
    schedule = CASES["open-ended Berlin"]
    assert feed(schedule) == feed(schedule)
    assert b"UID:group-8@hearth.example" in feed(schedule, group_id=8)
    assert b"TRIGGER:-PT10M" in feed(schedule, alarm_minutes=10)


def test_one_off_meetings() -> None:
    once = Schedule("Europe/London", date(2026, 6, 2), time(18), 60, Recurrence("once"))
    (event,) = Calendar.from_ical(feed(once)).walk("VEVENT")
    assert "RRULE" not in event and event.decoded("dtstart").hour == 18
    cancelled = Schedule(once.tz, once.start, once.start_time, 60, once.rule, (Cancel(once.start),))
    (event,) = Calendar.from_ical(feed(cancelled)).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    move = Move(once.start, datetime(2026, 6, 3, 9, 0))
    moved = Schedule(once.tz, once.start, once.start_time, 60, once.rule, (move,))
    (event,) = Calendar.from_ical(feed(moved)).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 6, 3, 8, tzinfo=UTC)
    assert "RECURRENCE-ID" not in event


def test_bad_options_are_refused() -> None:
    schedule = CASES["open-ended Berlin"]
    with pytest.raises(ScheduleError, match="alarm_minutes"):
        feed(schedule, alarm_minutes=-1)
    with pytest.raises(ScheduleError, match="uid_domain"):
        feed(schedule, uid_domain="evil@example.org")
