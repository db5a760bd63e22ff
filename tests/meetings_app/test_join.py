"""Entering a meeting: guidelines, not-open-yet, lock, capacity, removal, closed."""

from __future__ import annotations

from datetime import timedelta

from tests.meetings_app.conftest import START, Hub

MIN = timedelta(minutes=1)


def test_not_open_yet_then_lobby_shows_arrivals_to_participants(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START - 30 * MIN)
    r = hub.join(mid, "ann")
    assert r.status_code == 403 and "This meeting is not open yet." in r.text
    assert hub.join(mid, "fac").status_code == 303  # the facilitator may enter early
    hub.at(START - 15 * MIN)
    r = hub.post(f"/meetings/{mid}/join", "ann")  # guidelines not accepted
    assert r.status_code == 400 and "accept the group" in r.text
    assert hub.join(mid, "ann").status_code == 303
    page = hub.get(f"/meetings/{mid}", "ann").text
    assert "2 here: fac, ann" in page and "Go to the meeting room" in page
    outsider = hub.get(f"/meetings/{mid}", "bob").text
    assert "2 here" in outsider and "fac, ann" not in outsider  # no names for passers-by
    assert "Speak from your own experience" in outsider and "I accept" in outsider


def test_lock_stops_new_joiners_but_not_returning_ones(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    hub.join(mid, "ann")
    assert hub.control(mid, "lock").status_code == 303
    r = hub.join(mid, "bob")
    assert r.status_code == 403 and "This meeting is locked." in r.text
    assert hub.join(mid, "ann").status_code == 303  # a dropped connection may come back
    hub.control(mid, "unlock")
    assert hub.join(mid, "bob").status_code == 303


def test_capacity_gives_a_clear_full_message(hub: Hub) -> None:
    mid = hub.create(capacity="2")
    hub.person("cat")
    hub.at(START)
    assert hub.join(mid, "ann").status_code == 303
    assert hub.join(mid, "bob").status_code == 303
    r = hub.join(mid, "cat")
    assert r.status_code == 403 and "This meeting is full (2 of 2 places taken)." in r.text
    assert "This meeting is full" in hub.get(f"/meetings/{mid}", "cat").text
    assert hub.join(mid, "fac").status_code == 303  # facilitators are never turned away


def test_removed_participant_cannot_rejoin_this_occurrence(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    hub.join(mid, "ann")
    assert hub.control(mid, "remove", handle="ann").status_code == 303
    r = hub.join(mid, "ann")
    assert r.status_code == 403 and "removed you" in r.text


def test_closed_meeting_refuses_and_member_sees_next_one(hub: Hub) -> None:
    mid = hub.create(recurrence="once", weekdays=())
    hub.at(START + 61 * MIN)
    r = hub.join(mid, "ann")
    assert r.status_code == 403 and "There is no meeting coming up." in r.text
    assert "No meeting coming up" in hub.get(f"/meetings/{mid}", "ann").text
