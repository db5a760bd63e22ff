"""A group's meetings as an iCalendar feed (RFC 5545), for members to subscribe to.

Privacy: a calendar on a shared or family phone must not reveal that someone attends, say,
a recovery group. So every event is titled "Hearth meeting" and carries no description,
location or category; the group's title, topic and guidelines never appear in the feed.
The caller should pass a ``url`` that does not spell out the topic either (an id, not a slug).

One VEVENT holds the series (DTSTART with TZID + RRULE), cancelled occurrences are EXDATEs
and each moved occurrence is a separate VEVENT with the same UID and a RECURRENCE-ID.
Local times are written in the group's zone with a generated VTIMEZONE, so clients keep
19:00 at 19:00 across daylight-saving changes exactly as ``occurrences()`` does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from community.meetings.recurrence import (
    Cancel,
    Move,
    Schedule,
    ScheduleError,
    rule_dates,
    slot_start,
)

NEUTRAL_TITLE = "Hearth meeting"
PRODID = "-//Hearth//Meetings//EN"
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_ALARM_MINUTES = 24 * 60
# A VTIMEZONE generated from zoneinfo lists explicit transitions for a date range; an
# open-ended series gets this many years ahead (the feed is regenerated on every fetch).
_OPEN_ENDED_YEARS = 10


def group_calendar(
    schedule: Schedule,
    *,
    uid_domain: str,
    group_id: int,
    url: str | None = None,
    alarm_minutes: int = 30,
    stamp: datetime | None = None,
) -> bytes:
    """The ICS bytes for one group. ``stamp`` (aware) fixes DTSTAMP; default: now."""
    if not 0 <= alarm_minutes <= MAX_ALARM_MINUTES:
        raise ScheduleError(f"alarm_minutes must be 0..{MAX_ALARM_MINUTES}")
    if not uid_domain or any(ch.isspace() or ch == "@" for ch in uid_domain):
        raise ScheduleError(f"uid_domain must be a bare domain name, not {uid_domain!r}")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    common = _Common(
        uid=f"group-{group_id}@{uid_domain}", url=url, stamp=stamp, alarm=alarm_minutes
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hearth")
    for event in _events(schedule, common):
        calendar.add_component(event)
    first, last = _zone_range(schedule, stamp)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())


class _Common:
    """What every VEVENT of the group shares."""

    def __init__(self, *, uid: str, url: str | None, stamp: datetime, alarm: int) -> None:
        self.uid, self.url, self.stamp, self.alarm = uid, url, stamp, alarm


def _events(schedule: Schedule, common: _Common) -> list[Event]:
    if schedule.rule.kind == "once":
        return [_one_off(schedule, common)]
    first = next(rule_dates(schedule))
    series = _event(schedule, common, slot_start(schedule, first), schedule.duration_minutes)
    series.add("rrule", _rrule(schedule))
    cancelled = [
        slot_start(schedule, c.original_date) for c in schedule.exceptions if isinstance(c, Cancel)
    ]
    if cancelled:
        series.add("exdate", cancelled)
    events = [series]
    for move in (c for c in schedule.exceptions if isinstance(c, Move)):
        events.append(_moved_event(schedule, common, move))
    return events


def _one_off(schedule: Schedule, common: _Common) -> Event:
    change = schedule.exceptions[0] if schedule.exceptions else None
    if isinstance(change, Move):
        return _moved_event(schedule, common, change, with_recurrence_id=False)
    event = _event(
        schedule, common, slot_start(schedule, schedule.start), schedule.duration_minutes
    )
    if isinstance(change, Cancel):
        # Keeping a cancelled event (rather than dropping it) tells subscribed clients to
        # remove or strike it; a vanished event is left stale by some clients.
        event.add("status", "CANCELLED")
    return event


def _moved_event(
    schedule: Schedule, common: _Common, move: Move, *, with_recurrence_id: bool = True
) -> Event:
    start = move.new_start_local.replace(tzinfo=schedule.zone, fold=0)
    minutes = move.new_duration_minutes or schedule.duration_minutes
    event = _event(schedule, common, start, minutes)
    if with_recurrence_id:
        event.add("recurrence-id", slot_start(schedule, move.original_date))
    return event


def _event(schedule: Schedule, common: _Common, start: datetime, minutes: int) -> Event:
    event = Event()
    event.add("uid", common.uid)
    event.add("dtstamp", common.stamp)
    event.add("summary", NEUTRAL_TITLE)
    event.add("dtstart", start)
    # The end is real elapsed time, shown as local wall time in the group's zone.
    end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(schedule.zone)
    event.add("dtend", end)
    if common.url:
        event.add("url", common.url)
    event.add_component(_alarm(common.alarm))
    return event


def _alarm(minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", NEUTRAL_TITLE)
    alarm.add("trigger", timedelta(minutes=-minutes))
    return alarm


def _rrule(schedule: Schedule) -> dict[str, object]:
    rule = schedule.rule
    recur: dict[str, object]
    if rule.kind == "weekly":
        recur = {"freq": "WEEKLY", "interval": rule.interval_weeks, "wkst": "MO"}
        recur["byday"] = [ICAL_DAYS[day] for day in rule.weekdays]
    else:
        assert rule.weekday is not None  # monthly_nth, checked by Recurrence
        recur = {"freq": "MONTHLY", "byday": f"{rule.nth}{ICAL_DAYS[rule.weekday]}"}
    if rule.count is not None:
        recur["count"] = rule.count
    if rule.until is not None:
        # With a zoned DTSTART, RFC 5545 wants UNTIL in UTC; the end of the local day keeps
        # the meeting on that day (until is inclusive).
        last_moment = datetime.combine(rule.until, time(23, 59, 59), tzinfo=schedule.zone)
        recur["until"] = last_moment.astimezone(UTC)
    return recur


def _zone_range(schedule: Schedule, stamp: datetime) -> tuple[date, date]:
    """Dates the VTIMEZONE must cover: every occurrence, with a year's margin either side."""
    moved = [c.new_start_local.date() for c in schedule.exceptions if isinstance(c, Move)]
    rule = schedule.rule
    if rule.until is not None:
        last = rule.until
    elif rule.count is not None or rule.kind == "once":
        last = max(rule_dates(schedule))
    else:
        last = max(schedule.start, stamp.date()) + timedelta(days=365 * _OPEN_ENDED_YEARS)
    year = timedelta(days=366)
    return min([schedule.start, *moved]) - year, max([last, *moved]) + year
