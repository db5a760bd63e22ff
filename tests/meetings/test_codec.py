"""Schedules survive a JSON round trip; stored junk is refused with a clear error."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

import pytest

from community.meetings.codec import schedule_from_dict, schedule_to_dict
from community.meetings.recurrence import Cancel, Move, Recurrence, Schedule, ScheduleError

SCHEDULES = [
    Schedule(
        "Europe/London",
        date(2026, 3, 3),
        time(19),
        90,
        Recurrence("weekly", interval_weeks=2, weekdays=(1, 3), until=date(2026, 12, 31)),
        (Cancel(date(2026, 3, 17)), Move(date(2026, 3, 19), datetime(2026, 3, 20, 18, 30), 45)),
    ),
    Schedule(
        "Australia/Sydney",
        date(2026, 1, 1),
        time(7, 45),
        60,
        Recurrence("monthly_nth", nth=-1, weekday=4, count=6),
    ),
    Schedule("UTC", date(2026, 5, 1), time(12), 15, Recurrence("once")),
]


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_round_trip_through_json(schedule: Schedule) -> None:
    stored = json.loads(json.dumps(schedule_to_dict(schedule)))
    assert schedule_from_dict(stored) == schedule


def test_stored_form_is_readable() -> None:
    stored = schedule_to_dict(SCHEDULES[0])
    assert stored["start_time"] == "19:00" and stored["rule"]["weekdays"] == [1, 3]
    assert stored["exceptions"][1] == {
        "type": "move",
        "original_date": "2026-03-19",
        "new_start_local": "2026-03-20T18:30",
        "new_duration_minutes": 45,
    }


def broken(**changes: Any) -> dict[str, Any]:
    data = schedule_to_dict(SCHEDULES[0])
    for key, value in changes.items():
        if key.startswith("rule_"):
            data["rule"][key.removeprefix("rule_")] = value
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "schedule must be an object"),
        (broken(version=2), "format version"),
        (broken(tz=5), "tz must be a str"),
        (broken(tz="Nowhere/City"), "unknown time zone"),
        (broken(start="2026-13-01"), "start is not a valid"),
        (broken(start_time="19:00:30"), "whole minute"),
        (broken(duration_minutes="90"), "duration_minutes must be a int"),
        (broken(duration_minutes=True), "duration_minutes must be a int"),
        (broken(rule="weekly"), "rule must be an object"),
        (broken(rule_kind="daily"), "unknown recurrence"),
        (broken(rule_weekdays=[9]), "weekday must be"),
        (broken(rule_weekdays="1,3"), "weekdays must be a list"),
        (broken(rule_until="soon"), "until is not a valid"),
        (broken(exceptions={}), "exceptions must be a list"),
        (broken(exceptions=[{"type": "skip", "original_date": "2026-03-17"}]), "unknown exception"),
        (broken(exceptions=[{"type": "cancel", "original_date": "2026-03-18"}]), "not one of"),
    ],
)
def test_bad_stored_schedules_are_refused(data: object, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        schedule_from_dict(data)
