"""Reading the meeting forms (plain strings in, validated values out) and showing times.

Every problem becomes ``MeetingError(field, message)`` so the page can show it next to the
field; nothing here touches the web framework or the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeVar, cast
from zoneinfo import ZoneInfo, available_timezones

from community.meetings.phases import Retention
from community.meetings.recurrence import (
    Cancel,
    Change,
    Move,
    Recurrence,
    Schedule,
    ScheduleError,
    zone_of,
)
from community.meetings.service import GroupSpec, MeetingError

RECURRENCES = {
    "once": "Once",
    "weekly": "Weekly",
    "every_n_weeks": "Every N weeks",
    "monthly_nth": "Monthly (e.g. 2nd Tuesday)",
}
RETENTIONS = {
    "keep": "Keep the conversation (read-only after the meeting)",
    "hide_after": "Hide it some hours after the meeting",
    "delete_on_end": "Delete the messages when the meeting ends",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NTHS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "-1": "Last"}
_T = TypeVar("_T")


def zone_names() -> list[str]:
    return sorted(available_timezones())


def parse_group(form: Mapping[str, str], weekdays: list[str]) -> GroupSpec:
    """The create-meeting form as a validated ``GroupSpec``."""
    schedule = _schedule(form, weekdays)
    retention = _retention(form)
    capacity_text = form.get("capacity", "").strip()
    return GroupSpec(
        title=form.get("title", "").strip(),
        description=form.get("description", "").strip(),
        guidelines=form.get("guidelines", "").strip(),
        schedule=schedule,
        lobby_minutes=_int(form, "lobby_minutes", 0, 120, "Lobby minutes must be 0-120."),
        capacity=_int(form, "capacity", 2, 500, "Capacity must be 2-500.")
        if capacity_text
        else None,
        retention=retention,
    )


def _schedule(form: Mapping[str, str], weekdays: list[str]) -> Schedule:
    tz = form.get("tz", "")
    try:
        zone_of(tz)
        return Schedule(
            tz=tz,
            start=_parse(form, "start_date", date.fromisoformat, "Give a start date."),
            start_time=_parse(form, "start_time", time.fromisoformat, "Give a start time (HH:MM)."),
            duration_minutes=_int(form, "duration", 15, 480, "Duration must be 15-480 minutes."),
            rule=_rule(form, weekdays),
        )
    except ScheduleError as exc:
        raise MeetingError("schedule", str(exc)) from exc


def _rule(form: Mapping[str, str], weekdays: list[str]) -> Recurrence:
    kind = form.get("recurrence", "once")
    until_text = form.get("until", "").strip()
    until = (
        _parse(form, "until", date.fromisoformat, "Give a valid end date.") if until_text else None
    )
    if kind == "once":
        return Recurrence("once")
    if kind in ("weekly", "every_n_weeks"):
        days = tuple(_weekday(value) for value in weekdays)
        interval = 1
        if kind == "every_n_weeks":
            interval = _int(form, "interval_weeks", 2, 8, "Every N weeks: N must be 2-8.")
        return Recurrence("weekly", interval_weeks=interval, weekdays=days, until=until)
    if kind == "monthly_nth":
        nth = _int(form, "nth", -1, 4, "Choose which week of the month.")
        weekday = _weekday(form.get("month_weekday", ""))
        return Recurrence("monthly_nth", nth=nth, weekday=weekday, until=until)
    raise MeetingError("recurrence", "Choose how the meeting repeats.")


def _retention(form: Mapping[str, str]) -> Retention:
    mode = form.get("retention", "keep")
    if mode not in RETENTIONS:
        raise MeetingError("retention", "Choose what happens to the conversation afterwards.")
    hours = 0
    if mode == "hide_after":
        hours = _int(form, "hide_after_hours", 1, 24 * 365, "Hide after 1-8760 hours.")
    return Retention(cast(Literal["keep", "hide_after", "delete_on_end"], mode), hours)


def parse_exception(form: Mapping[str, str]) -> Change:
    """Cancel one occurrence, or move it to a new local date/time (and duration)."""
    original = _parse(form, "original_date", date.fromisoformat, "Give the meeting's date.")
    if form.get("action") == "cancel":
        return Cancel(original)
    if form.get("action") != "move":
        raise MeetingError("action", "Choose cancel or move.")
    day = _parse(form, "new_date", date.fromisoformat, "Give the new date.")
    at = _parse(form, "new_time", time.fromisoformat, "Give the new time (HH:MM).")
    minutes = None
    if form.get("new_duration", "").strip():
        minutes = _int(form, "new_duration", 15, 480, "Duration must be 15-480 minutes.")
    return Move(original, datetime.combine(day, at), minutes)


def _weekday(value: str) -> int:
    if value not in {str(n) for n in range(7)}:
        raise MeetingError("weekdays", "Choose a day of the week.")
    return int(value)


def _int(form: Mapping[str, str], name: str, low: int, high: int, message: str) -> int:
    try:
        value = int(form.get(name, "").strip())
    except ValueError:
        raise MeetingError(name, message) from None
    if not low <= value <= high:
        raise MeetingError(name, message)
    return value


def _parse(form: Mapping[str, str], name: str, parse: Callable[[str], _T], message: str) -> _T:
    try:
        return parse(form.get(name, "").strip())
    except ValueError:
        raise MeetingError(name, message) from None


# --- showing times -----------------------------------------------------------


def member_zone(profile_tz: str | None, reported_tz: str | None) -> tuple[ZoneInfo, str]:
    """The zone to show times in, and where it came from: profile, browser, or UTC."""
    for name, source in ((profile_tz, "from your profile"), (reported_tz, "from your browser")):
        if name:
            try:
                return zone_of(name), source
            except ScheduleError:
                continue
    return ZoneInfo("UTC"), "the default (UTC): no zone from your profile or browser"


def countdown(start: datetime, now: datetime) -> str:
    """'in 2 days, 3 hours' / 'in 45 minutes' / 'now'; whole units, rounded down."""
    left = start - now
    if left <= timedelta(0):
        return "now"
    days, rest = divmod(int(left.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return "in " + (", ".join(shown) if shown else "less than a minute")
