"""Scheduling core for facilitated meetings: recurrence, room phases, ICS feeds.

Pure logic with no web or database imports; the app stores a schedule with
``schedule_to_dict`` and drives rooms with a ``Clock``. See docs/meetings.md.
"""

from __future__ import annotations

from community.meetings.clock import Clock, FrozenClock, SystemClock
from community.meetings.codec import schedule_from_dict, schedule_to_dict
from community.meetings.ics import NEUTRAL_TITLE, group_calendar
from community.meetings.phases import (
    JoinDecision,
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
from community.meetings.recurrence import (
    Cancel,
    Change,
    Move,
    Occurrence,
    Recurrence,
    Schedule,
    ScheduleError,
    next_occurrence,
    occurrences,
    zone_of,
)

__all__ = [
    "NEUTRAL_TITLE",
    "Cancel",
    "Change",
    "Clock",
    "FrozenClock",
    "JoinDecision",
    "Move",
    "Occurrence",
    "Overrides",
    "Phase",
    "Recurrence",
    "Refusal",
    "Retention",
    "Room",
    "Schedule",
    "ScheduleError",
    "SystemClock",
    "group_calendar",
    "may_join",
    "may_post",
    "may_view",
    "next_occurrence",
    "next_transition_at",
    "occurrences",
    "phase_at",
    "schedule_from_dict",
    "schedule_to_dict",
    "zone_of",
]
