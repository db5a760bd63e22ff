"""A schedule as a JSON-able dict, for storing in a JSON column, and back with validation.

The format is versioned so stored rows can be migrated if it ever changes:

    {"version": 1, "tz": "Europe/London", "start": "2026-03-03", "start_time": "19:00",
     "duration_minutes": 90,
     "rule": {"kind": "weekly", "interval_weeks": 1, "weekdays": [1], "nth": null,
              "weekday": null, "until": null, "count": null},
     "exceptions": [{"type": "cancel", "original_date": "2026-03-10"},
                    {"type": "move", "original_date": "2026-03-17",
                     "new_start_local": "2026-03-18T19:00", "new_duration_minutes": null}]}

Every problem is reported as ScheduleError.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, TypeVar, cast

from community.meetings.recurrence import (
    Cancel,
    Change,
    Kind,
    Move,
    Recurrence,
    Schedule,
    ScheduleError,
)

FORMAT_VERSION = 1
_T = TypeVar("_T")


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    rule = schedule.rule
    return {
        "version": FORMAT_VERSION,
        "tz": schedule.tz,
        "start": schedule.start.isoformat(),
        "start_time": schedule.start_time.strftime("%H:%M"),
        "duration_minutes": schedule.duration_minutes,
        "rule": {
            "kind": rule.kind,
            "interval_weeks": rule.interval_weeks,
            "weekdays": list(rule.weekdays),
            "nth": rule.nth,
            "weekday": rule.weekday,
            "until": rule.until.isoformat() if rule.until else None,
            "count": rule.count,
        },
        "exceptions": [_change_to_dict(change) for change in schedule.exceptions],
    }


def schedule_from_dict(data: object) -> Schedule:
    """Rebuild and validate a schedule stored by ``schedule_to_dict``."""
    top = _mapping(data, "schedule")
    if top.get("version") != FORMAT_VERSION:
        raise ScheduleError(f"unsupported schedule format version {top.get('version')!r}")
    changes = top.get("exceptions", [])
    if not isinstance(changes, list):
        raise ScheduleError("exceptions must be a list")
    return Schedule(
        tz=_typed(top.get("tz"), str, "tz"),
        start=_parse(top.get("start"), date.fromisoformat, "start"),
        start_time=_parse(top.get("start_time"), time.fromisoformat, "start_time"),
        duration_minutes=_typed(top.get("duration_minutes"), int, "duration_minutes"),
        rule=_rule_from_dict(top.get("rule")),
        exceptions=tuple(_change_from_dict(change) for change in changes),
    )


def _rule_from_dict(data: object) -> Recurrence:
    rule = _mapping(data, "rule")
    weekdays = rule.get("weekdays", [])
    if not isinstance(weekdays, list):
        raise ScheduleError("weekdays must be a list")
    until = rule.get("until")
    return Recurrence(
        kind=cast(Kind, _typed(rule.get("kind"), str, "kind")),  # Recurrence checks the value
        interval_weeks=_typed(rule.get("interval_weeks", 1), int, "interval_weeks"),
        weekdays=tuple(weekdays),
        nth=rule.get("nth"),
        weekday=rule.get("weekday"),
        until=None if until is None else _parse(until, date.fromisoformat, "until"),
        count=rule.get("count"),
    )


def _change_to_dict(change: Change) -> dict[str, Any]:
    if isinstance(change, Cancel):
        return {"type": "cancel", "original_date": change.original_date.isoformat()}
    return {
        "type": "move",
        "original_date": change.original_date.isoformat(),
        "new_start_local": change.new_start_local.isoformat(timespec="minutes"),
        "new_duration_minutes": change.new_duration_minutes,
    }


def _change_from_dict(data: object) -> Change:
    change = _mapping(data, "exception")
    original = _parse(change.get("original_date"), date.fromisoformat, "original_date")
    if change.get("type") == "cancel":
        return Cancel(original_date=original)
    if change.get("type") == "move":
        new_start = _parse(change.get("new_start_local"), datetime.fromisoformat, "new_start")
        return Move(original, new_start, change.get("new_duration_minutes"))
    raise ScheduleError(f"unknown exception type {change.get('type')!r}")


def _mapping(data: object, name: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ScheduleError(f"{name} must be an object")
    return data


def _typed(value: object, kind: type[_T], name: str) -> _T:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ScheduleError(f"{name} must be a {kind.__name__}, not {value!r}")
    return value


def _parse(value: object, parse: Callable[[str], _T], name: str) -> _T:
    text = _typed(value, str, name)
    try:
        return parse(text)
    except ValueError as exc:
        raise ScheduleError(f"{name} is not a valid ISO value: {text!r}") from exc
