"""Meeting schedules: a start in the group's own zone, a recurrence rule and exceptions.

Wall-clock arithmetic happens in the group's zone (``zoneinfo``), so a weekly 19:00 meeting
stays at 19:00 local across daylight-saving changes; results are aware UTC datetimes.

Local times that do not exist, or exist twice, follow RFC 5545 section 3.3.5, which is also
what PEP 495 ``fold=0`` gives, so calendar clients reading our ICS feed agree with us:

- in a spring-forward gap the time is read with the offset from *before* the gap, so a 02:30
  meeting on the night clocks jump 02:00 -> 03:00 starts at 03:30 new time (pushed forward by
  the length of the gap);
- in a fall-back overlap the first of the two instants (``fold=0``, still summer time) is used.

A meeting lasts ``duration_minutes`` of real time, even if the clocks change during it.
Weekdays are numbered as ``date.weekday()``: 0 = Monday ... 6 = Sunday.

Types, validation and expansion share this module (a little over 300 lines) because checking
that an exception names a real meeting date needs the expansion itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Kind = Literal["once", "weekly", "monthly_nth"]
KINDS: tuple[Kind, ...] = ("once", "weekly", "monthly_nth")
MIN_DURATION, MAX_DURATION = 15, 480
MAX_INTERVAL_WEEKS = 8
MAX_COUNT = 1000
NTH_VALUES = (1, 2, 3, 4, -1)
# Wider than any zone offset (+-14h) plus the longest meeting (8h): rule dates this far
# outside a UTC window cannot produce an occurrence that overlaps it.
_WINDOW_MARGIN = timedelta(days=2)


class ScheduleError(ValueError):
    """A schedule, rule or exception is invalid; the message is fit to show a facilitator."""


@dataclass(frozen=True)
class Recurrence:
    """How a meeting repeats.

    - ``once``: only on the schedule's start date.
    - ``weekly``: on ``weekdays`` every ``interval_weeks`` weeks; weeks run Monday to Sunday
      and are counted from the week holding the schedule's start date.
    - ``monthly_nth``: every month on the ``nth`` (1..4, or -1 for last) ``weekday``.

    ``until`` (a local date, inclusive) or ``count`` ends the series; ``count`` counts what the
    rule generates, cancelled occurrences included (as RFC 5545 COUNT does). Neither: no end.
    """

    kind: Kind
    interval_weeks: int = 1
    weekdays: tuple[int, ...] = ()
    nth: int | None = None
    weekday: int | None = None
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        _check_rule(self)
        object.__setattr__(self, "weekdays", tuple(sorted(self.weekdays)))


@dataclass(frozen=True)
class Cancel:
    """No meeting on the occurrence originally due on ``original_date`` (a local date)."""

    original_date: date


@dataclass(frozen=True)
class Move:
    """The occurrence due on ``original_date`` happens at ``new_start_local`` instead.

    ``new_start_local`` is a naive wall-clock time in the group's zone.
    """

    original_date: date
    new_start_local: datetime
    new_duration_minutes: int | None = None


Change = Cancel | Move


@dataclass(frozen=True)
class Occurrence:
    """One meeting: keyed by the local date the rule gave it, with aware UTC start and end."""

    original_date: date
    start: datetime
    end: datetime
    moved: bool = False


@dataclass(frozen=True)
class Schedule:
    """A group's meetings: first date and local start time in zone ``tz``, rule, exceptions."""

    tz: str
    start: date
    start_time: time
    duration_minutes: int
    rule: Recurrence
    exceptions: tuple[Change, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "exceptions", tuple(self.exceptions))
        _check_schedule(self)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


def rule_dates(schedule: Schedule) -> Iterator[date]:
    """Local dates the rule generates, in order, before exceptions are applied.

    Infinite when the rule has neither ``until`` nor ``count``: consume it lazily.
    """
    rule = schedule.rule
    for n, day in enumerate(_unbounded_dates(rule, schedule.start), start=1):
        if rule.until is not None and day > rule.until:
            return
        yield day
        if rule.count is not None and n >= rule.count:
            return


def slot_start(schedule: Schedule, day: date) -> datetime:
    """The aware local start (``fold=0``) of the slot the rule gives on ``day``."""
    return datetime.combine(day, schedule.start_time, tzinfo=schedule.zone)


def occurrences(schedule: Schedule, start_utc: datetime, end_utc: datetime) -> list[Occurrence]:
    """Occurrences overlapping ``[start_utc, end_utc)``, sorted by start, exceptions applied.

    A meeting already running at ``start_utc`` is included.
    """
    _require_aware(start_utc, "start_utc")
    _require_aware(end_utc, "end_utc")
    if end_utc <= start_utc:
        raise ScheduleError("the end of the window must be after its start")
    low, high = (start_utc - _WINDOW_MARGIN).date(), (end_utc + _WINDOW_MARGIN).date()
    changed = {change.original_date for change in schedule.exceptions}
    found = [_moved(schedule, move) for move in _moves(schedule)]
    for day in rule_dates(schedule):
        if day > high:
            break
        if day >= low and day not in changed:
            found.append(_regular(schedule, day))
    return sorted(
        (occ for occ in found if occ.end > start_utc and occ.start < end_utc),
        key=lambda occ: occ.start,
    )


def next_occurrence(schedule: Schedule, now_utc: datetime) -> Occurrence | None:
    """The first occurrence that has not ended at ``now_utc`` (a running one counts).

    None once a finite series is over.
    """
    _require_aware(now_utc, "now_utc")
    changed = {change.original_date for change in schedule.exceptions}
    regular = (_regular(schedule, d) for d in rule_dates(schedule) if d not in changed)
    # Moves can land anywhere (even before earlier dates), so they are compared separately.
    pending = [occ for occ in (_moved(schedule, m) for m in _moves(schedule)) if occ.end > now_utc]
    first_regular = next((occ for occ in regular if occ.end > now_utc), None)
    if first_regular is not None:
        pending.append(first_regular)
    return min(pending, key=lambda occ: occ.start, default=None)


def _regular(schedule: Schedule, day: date) -> Occurrence:
    start = slot_start(schedule, day).astimezone(UTC)
    end = start + timedelta(minutes=schedule.duration_minutes)
    return Occurrence(original_date=day, start=start, end=end)


def _moved(schedule: Schedule, move: Move) -> Occurrence:
    start = move.new_start_local.replace(tzinfo=schedule.zone, fold=0).astimezone(UTC)
    minutes = move.new_duration_minutes or schedule.duration_minutes
    end = start + timedelta(minutes=minutes)
    return Occurrence(original_date=move.original_date, start=start, end=end, moved=True)


def _moves(schedule: Schedule) -> list[Move]:
    return [change for change in schedule.exceptions if isinstance(change, Move)]


def _unbounded_dates(rule: Recurrence, start: date) -> Iterator[date]:
    if rule.kind == "once":
        yield start
    elif rule.kind == "weekly":
        yield from _weekly_dates(rule, start)
    else:
        yield from _monthly_dates(rule, start)


def _weekly_dates(rule: Recurrence, start: date) -> Iterator[date]:
    week = start - timedelta(days=start.weekday())
    while True:
        for weekday in rule.weekdays:
            day = week + timedelta(days=weekday)
            if day >= start:
                yield day
        week += timedelta(weeks=rule.interval_weeks)


def _monthly_dates(rule: Recurrence, start: date) -> Iterator[date]:
    assert rule.nth is not None and rule.weekday is not None  # guaranteed by _check_rule
    year, month = start.year, start.month
    while True:
        day = nth_weekday(year, month, rule.nth, rule.weekday)
        if day >= start:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    """The ``nth`` (1..4, or -1 for last) ``weekday`` of a month."""
    if nth == -1:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _check_rule(rule: Recurrence) -> None:
    if rule.kind not in KINDS:
        raise ScheduleError(f"unknown recurrence {rule.kind!r}; expected one of {KINDS}")
    _check_int(rule.interval_weeks, "interval_weeks", 1, MAX_INTERVAL_WEEKS)
    if rule.until is not None and rule.count is not None:
        raise ScheduleError("give either an end date (until) or a count, not both")
    if rule.count is not None:
        _check_int(rule.count, "count", 1, MAX_COUNT)
    if rule.until is not None and (type(rule.until) is not date):
        raise ScheduleError("until must be a date")
    if rule.kind != "weekly" and rule.interval_weeks != 1:
        raise ScheduleError("interval_weeks applies only to weekly meetings")
    if rule.kind == "weekly":
        _check_weekly(rule)
    elif rule.kind == "monthly_nth":
        _check_monthly(rule)
    elif rule.weekdays or rule.nth is not None or rule.weekday is not None:
        raise ScheduleError("a one-off meeting takes no weekdays, nth or weekday")
    elif rule.until is not None or rule.count is not None:
        raise ScheduleError("a one-off meeting takes no until or count")


def _check_weekly(rule: Recurrence) -> None:
    if not isinstance(rule.weekdays, tuple | list) or not rule.weekdays:
        raise ScheduleError("a weekly meeting needs at least one weekday (0=Monday..6=Sunday)")
    for weekday in rule.weekdays:
        _check_int(weekday, "weekday", 0, 6)
    if len(set(rule.weekdays)) != len(rule.weekdays):
        raise ScheduleError("weekdays must not repeat")
    if rule.nth is not None or rule.weekday is not None:
        raise ScheduleError("a weekly meeting uses weekdays, not nth/weekday")


def _check_monthly(rule: Recurrence) -> None:
    if rule.nth not in NTH_VALUES or isinstance(rule.nth, bool):
        raise ScheduleError(f"nth must be 1, 2, 3, 4 or -1 (last), not {rule.nth!r}")
    if rule.weekday is None:
        raise ScheduleError("a monthly meeting needs a weekday (0=Monday..6=Sunday)")
    _check_int(rule.weekday, "weekday", 0, 6)
    if rule.weekdays:
        raise ScheduleError("a monthly meeting uses nth/weekday, not weekdays")


def _check_schedule(schedule: Schedule) -> None:
    zone_of(schedule.tz)
    if type(schedule.start) is not date:
        raise ScheduleError("start must be a date (without a time)")
    if not isinstance(schedule.start_time, time) or schedule.start_time.tzinfo is not None:
        raise ScheduleError("start_time must be a naive local time in the group's zone")
    if schedule.start_time.second or schedule.start_time.microsecond:
        raise ScheduleError("start_time must be a whole minute")
    _check_int(schedule.duration_minutes, "duration_minutes", MIN_DURATION, MAX_DURATION)
    if not isinstance(schedule.rule, Recurrence):
        raise ScheduleError("rule must be a Recurrence")
    if schedule.rule.until is not None and schedule.rule.until < schedule.start:
        raise ScheduleError("the end date (until) is before the first meeting")
    _check_exceptions(schedule)


def _check_exceptions(schedule: Schedule) -> None:
    seen: set[date] = set()
    for change in schedule.exceptions:
        if not isinstance(change, Cancel | Move):
            raise ScheduleError(f"an exception must be Cancel or Move, not {change!r}")
        if change.original_date in seen:
            raise ScheduleError(f"{change.original_date} has more than one exception")
        seen.add(change.original_date)
        if isinstance(change, Move):
            _check_move(change)
    if seen:
        last = max(seen)
        missing = seen - {day for day in _dates_through(schedule, last)}
        if missing:
            raise ScheduleError(f"{min(missing)} is not one of this group's meeting dates")


def _check_move(move: Move) -> None:
    if not isinstance(move.new_start_local, datetime) or move.new_start_local.tzinfo:
        raise ScheduleError("a moved meeting's new start must be a naive local datetime")
    if move.new_duration_minutes is not None:
        _check_int(move.new_duration_minutes, "new_duration_minutes", MIN_DURATION, MAX_DURATION)


def _dates_through(schedule: Schedule, last: date) -> Iterator[date]:
    for day in rule_dates(schedule):
        if day > last:
            return
        yield day


def _check_int(value: object, name: str, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ScheduleError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


def zone_of(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name, or ScheduleError naming the bad zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ScheduleError(f"unknown time zone {name!r} (use an IANA name)") from exc


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ScheduleError(f"{name} must be an aware datetime")
