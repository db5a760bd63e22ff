"""Facilitator controls (facilitator yes, members no); raise-hand, rounds, attendance."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from community.meetings.tables import MeetingSeat
from community.models import Membership
from tests.meetings_app.conftest import START, Hub

MIN = timedelta(minutes=1)
CONTROL_CALLS = [
    ("open", {}),
    ("lock", {}),
    ("unlock", {}),
    ("pin", {"guidelines": "yes"}),
    ("mute", {"handle": "bob"}),
    ("round", {"kind": "check-in"}),
    ("next-turn", {}),
    ("next-hand", {}),
    ("extend", {}),
    ("remove", {"handle": "bob"}),
    ("end", {}),
]


def test_every_control_is_refused_to_members_and_allowed_to_the_facilitator(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START - 20 * MIN)
    hub.join(mid, "fac")
    for action, data in CONTROL_CALLS:
        r = hub.control(mid, action, "ann", **data)
        assert r.status_code == 403, action
        assert "Only this group" in r.text and "facilitator can do that" in r.text
    for action, data in CONTROL_CALLS:
        if action == "mute":  # these act on a participant: seat bob first
            hub.join(mid, "bob")
        if action == "next-hand":
            hub.post(f"/meetings/{mid}/hand", "bob", raised="yes")
        r = hub.control(mid, action, "fac", **data)
        assert r.status_code == 303, (action, r.text)
    assert hub.occurrence(mid).phase == "closed"


def test_moderator_may_facilitate_but_another_facilitator_may_not(hub: Hub) -> None:
    mid = hub.create()
    hub.person("dana", "moderator")
    hub.person("other", "facilitator")
    assert hub.control(mid, "lock", "other").status_code == 403
    assert hub.control(mid, "lock", "dana").status_code == 303
    assert hub.occurrence(mid).locked


def test_control_refusal_when_it_does_not_apply(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    r = hub.control(mid, "open")
    assert r.status_code == 409 and "already open" in r.text
    r = hub.control(mid, "next-hand")
    assert r.status_code == 409 and "No hands are raised." in r.text
    r = hub.control(mid, "round", kind="gossip")
    assert r.status_code == 409 and "check-in or a check-out" in r.text
    assert hub.control(mid, "fly").status_code == 404


def test_open_early_extend_and_end_move_the_phase(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START - 60 * MIN)
    assert hub.control(mid, "open").status_code == 303
    assert hub.occurrence(mid).phase == "lobby" and not hub.room(mid).read_only
    hub.at(START + 59 * MIN)
    hub.control(mid, "extend")
    assert hub.occurrence(mid).extended_by_minutes == 15
    assert hub.at(START + 61 * MIN) == []  # still live thanks to the extension
    hub.control(mid, "end")
    assert hub.occurrence(mid).phase == "closed" and hub.room(mid).read_only


def test_raise_hand_queue_is_first_come_first_called(hub: Hub) -> None:
    mid = hub.create()
    hub.person("cat")
    hub.at(START)
    for who in ("ann", "bob", "cat"):
        hub.join(mid, who)
    r = hub.post(f"/meetings/{mid}/hand", "fac", raised="yes")
    assert r.status_code == 409 and "Join the meeting" in r.text
    for who in ("cat", "ann", "bob"):
        assert hub.post(f"/meetings/{mid}/hand", who, raised="yes").status_code == 303
    hub.post(f"/meetings/{mid}/hand", "ann", raised="no")
    hub.post(f"/meetings/{mid}/hand", "ann", raised="yes")  # back of the queue
    assert "<li>cat</li><li>bob</li><li>ann</li>" in hub.get(f"/meetings/{mid}", "bob").text
    hub.control(mid, "next-hand")
    assert "<li>bob</li><li>ann</li>" in hub.get(f"/meetings/{mid}", "bob").text


def test_rounds_go_in_arrival_order_and_finish(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    for who in ("bob", "fac", "ann"):
        hub.join(mid, who)
    with hub.client.websocket_connect(
        f"/ws/rooms/{hub.room(mid).slug}", headers={"Authorization": f"Bearer {hub.tokens['ann']}"}
    ) as ws:
        _until(ws, "replayed")
        hub.control(mid, "round", kind="check-in")
        event = _until(ws, "round")
        assert (event["order"], event["turn"], event["current"]) == (
            ["bob", "fac", "ann"],
            1,
            "bob",
        )
        hub.control(mid, "next-turn")
        assert _until(ws, "round")["current"] == "fac"
        hub.control(mid, "next-turn")
        assert _until(ws, "round")["current"] == "ann"
        hub.control(mid, "next-turn")
        assert _until(ws, "round")["done"] is True
    assert "No round in progress" in hub.get(f"/meetings/{mid}", "ann").text


def test_remove_deletes_membership_and_tells_the_person(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    hub.join(mid, "ann")
    slug = hub.room(mid).slug
    with hub.client.websocket_connect(
        f"/ws/rooms/{slug}", headers={"Authorization": f"Bearer {hub.tokens['ann']}"}
    ) as ws:
        _until(ws, "replayed")
        hub.control(mid, "remove", handle="ann")
        # The person is told on their own channel, then their socket for the room closes
        # (the room's `participant_removed` may or may not reach them before that).
        removed = _until(ws, "removed_from_room")
        assert removed["room"] == slug
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                event = json.loads(ws.receive_text())
                if event["type"] == "participant_removed":
                    assert event["handle"] == "ann"
        assert closed.value.code == 4403
    with hub.session() as s:
        assert (
            s.exec(select(Membership).where(Membership.user_id == hub.user_id("ann"))).all() == []
        )
    r = hub.control(mid, "mute", handle="fac")
    assert r.status_code == 409 and "cannot be muted" in r.text


def test_mute_stops_posting_until_the_end(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    hub.join(mid, "ann")
    hub.control(mid, "mute", handle="ann")
    with hub.session() as s:
        member = s.exec(select(Membership).where(Membership.user_id == hub.user_id("ann"))).one()
    assert member.muted_until is not None and member.muted_until > START


def test_attendance_is_a_count_and_names_go_when_the_meeting_ends(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    for who in ("ann", "bob", "ann", "fac"):  # ann twice: counted once
        hub.join(mid, who)
    assert hub.occurrence(mid).attendance == 3
    hub.at(START + 61 * MIN)
    row = hub.occurrence(mid)
    assert row.attendance == 3 and row.phase == "closed"
    with hub.session() as s:
        assert s.exec(select(MeetingSeat)).all() == []  # nobody's name tied to the occurrence


@pytest.mark.parametrize("pin", [{"message_id": "abc"}, {"message_id": "99999"}])
def test_pin_checks_the_message(hub: Hub, pin: dict[str, str]) -> None:
    mid = hub.create()
    hub.at(START)
    r = hub.control(mid, "pin", **pin)
    assert r.status_code == 409


def _until(ws: object, kind: str) -> dict[str, object]:
    for _ in range(50):
        event = json.loads(ws.receive_text())  # type: ignore[attr-defined]
        if event.get("type") == kind:
            return dict(event)
    raise AssertionError(f"no {kind} event")


def _collect(ws: object, kinds: set[str]) -> dict[str, dict[str, object]]:
    seen: dict[str, dict[str, object]] = {}
    for _ in range(50):
        event = json.loads(ws.receive_text())  # type: ignore[attr-defined]
        if event.get("type") in kinds:
            seen[event["type"]] = event
        if set(seen) == kinds:
            return seen
    raise AssertionError(f"missing {kinds - set(seen)}")
