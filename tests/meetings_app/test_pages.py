"""Creating meetings, listing them in the member's zone, exceptions, and the ICS feed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import icalendar
from sqlmodel import select

from community.meetings import schedule_from_dict
from community.meetings.tables import MeetingGroup
from community.models import User
from tests.meetings_app.conftest import MEETING_FORM, Hub


def test_facilitator_creates_meeting_with_private_room(hub: Hub) -> None:
    form = hub.get("/meetings/new", "fac")
    assert form.status_code == 200 and '<option value="Europe/London">' in form.text
    assert 'name="accept_guidelines"' not in form.text and 'name="csrf_token"' in form.text
    assert 'href="/meetings/new"' in hub.get("/meetings", "fac").text
    mid = hub.create(capacity="12", retention="hide_after", hide_after_hours="48")
    with hub.session() as s:
        group = s.get(MeetingGroup, mid)
        assert group is not None
        schedule = schedule_from_dict(group.schedule)
    assert schedule.tz == "Europe/London" and schedule.rule.weekdays == (1,)
    assert (group.capacity, group.retention_mode, group.hide_after_hours) == (12, "hide_after", 48)
    room = hub.room(mid)
    assert room.kind == "private" and room.invite_code is None and room.read_only
    assert "recovery" not in room.slug  # the address does not reveal the topic
    page = hub.get(f"/meetings/{mid}", "fac").text
    assert "Evening recovery circle" in page and "Facilitator controls" in page


def test_member_cannot_create_meeting(hub: Hub) -> None:
    assert hub.get("/meetings/new", "ann").status_code == 403
    r = hub.post("/meetings/new", "ann", **MEETING_FORM, weekdays=["1"])
    assert r.status_code == 403 and "Only facilitators and admins" in r.text
    with hub.session() as s:
        assert s.exec(select(MeetingGroup)).first() is None


def test_bad_form_is_refused_with_a_clear_message(hub: Hub) -> None:
    r = hub.post("/meetings/new", "fac", **MEETING_FORM)  # weekly, but no weekday chosen
    assert r.status_code == 400 and "at least one weekday" in r.text
    r = hub.post("/meetings/new", "fac", **{**MEETING_FORM, "tz": "Mars/Olympus"}, weekdays=["1"])
    assert r.status_code == 400 and "unknown time zone" in r.text
    r = hub.post("/meetings/new", "fac", **{**MEETING_FORM, "duration": "5"}, weekdays=["1"])
    assert r.status_code == 400 and "Duration must be 15-480" in r.text
    # A forged CSRF token with a cookie session is refused: tests/security/test_csrf_all_forms.py
    # (hub.post authenticates with a bearer token, which needs no CSRF token).


def test_recurrence_kinds_from_the_form(hub: Hub) -> None:
    mid = hub.create(recurrence="every_n_weeks", interval_weeks="2", weekdays=("1", "3"))
    monthly = hub.create(recurrence="monthly_nth", nth="-1", month_weekday="4", weekdays=())
    once = hub.create(recurrence="once", weekdays=())
    with hub.session() as s:
        groups = [s.get(MeetingGroup, i) for i in (mid, monthly, once)]
    rules = [schedule_from_dict(g.schedule).rule for g in groups if g is not None]
    assert (rules[0].interval_weeks, rules[0].weekdays) == (2, (1, 3))
    assert (rules[1].kind, rules[1].nth, rules[1].weekday) == ("monthly_nth", -1, 4)
    assert rules[2].kind == "once"


def test_list_shows_times_in_profile_zone_then_browser_then_utc(hub: Hub) -> None:
    hub.create()
    page = hub.get("/meetings", "ann").text
    assert "Evening recovery circle" in page and "19:00" in page and "default (UTC)" in page
    assert "in 7 hours" in page  # countdown from the frozen 12:00 UTC
    hub.client.cookies.set("tz", "Asia/Tokyo")
    page = hub.get("/meetings", "ann").text
    assert "Wed 11 Mar 2026, 04:00" in page and "your browser" in page
    with hub.session() as s:
        user = s.exec(select(User).where(User.handle_key == "ann")).one()
        user.timezone = "America/New_York"
        s.add(user)
        s.commit()
    page = hub.get("/meetings", "ann").text
    # New York is already on summer time (8 March), London not yet: 15:00 there.
    assert "Tue 10 Mar 2026, 15:00" in page and "your profile" in page
    hub.client.cookies.delete("tz")


def test_list_follows_dst_in_the_group_zone(hub: Hub) -> None:
    hub.create()
    hub.clock.set(datetime(2026, 4, 1, 12, 0, tzinfo=UTC))  # London on BST now
    page = hub.get("/meetings", "ann").text
    assert "Tue 07 Apr 2026, 18:00" in page  # 19:00 BST shown in UTC


def test_exceptions_cancel_and_move(hub: Hub) -> None:
    mid = hub.create()
    r = hub.post(f"/meetings/{mid}/exceptions", "ann", action="cancel", original_date="2026-03-10")
    assert r.status_code == 403
    r = hub.post(f"/meetings/{mid}/exceptions", "fac", action="cancel", original_date="2026-03-10")
    assert r.status_code == 303
    page = hub.get("/meetings", "ann").text
    assert "Tue 17 Mar 2026, 19:00" in page
    r = hub.post(
        f"/meetings/{mid}/exceptions",
        "fac",
        action="move",
        original_date="2026-03-17",
        new_date="2026-03-18",
        new_time="20:30",
    )
    assert r.status_code == 303
    assert "Wed 18 Mar 2026, 20:30" in hub.get("/meetings", "ann").text
    r = hub.post(f"/meetings/{mid}/exceptions", "fac", action="cancel", original_date="2026-03-11")
    assert r.status_code == 400 and "2026-03-11" in r.text  # not a meeting date


def test_calendar_feed_is_valid_and_neutral(hub: Hub) -> None:
    mid = hub.create()
    hub.post(f"/meetings/{mid}/exceptions", "fac", action="cancel", original_date="2026-03-17")
    r = hub.get(f"/meetings/{mid}/calendar.ics")  # subscribable without a login
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert b"recovery" not in r.content.lower() and b"Speak from" not in r.content
    cal = icalendar.Calendar.from_ical(r.content)
    events: list[Any] = list(cal.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Hearth meeting"]
    event: Any = events[0]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TU"]
    assert event["DTSTART"].dt.tzinfo is not None and str(event["UID"]) == f"group-{mid}@testserver"
    assert str(event["URL"]).endswith(f"/meetings/{mid}")
    assert event.walk("VALARM") and cal.walk("VTIMEZONE")
    assert str(cal.walk("VTIMEZONE")[0]["TZID"]) == "Europe/London"
    exdates = [d.dt for x in [event["EXDATE"]] for d in (x.dts if hasattr(x, "dts") else [])]
    assert any(d.date().isoformat() == "2026-03-17" for d in exdates)
    assert hub.get("/meetings/999/calendar.ics").status_code == 404


def test_pages_need_login_and_unknown_meeting_is_404(hub: Hub) -> None:
    r = hub.client.get("/meetings", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert hub.get("/meetings/4242", "ann").status_code == 404
