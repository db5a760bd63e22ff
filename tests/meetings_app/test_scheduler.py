"""The scheduler step across scheduled -> lobby -> live -> closed -> hidden on a FrozenClock."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlmodel import select

from community.meetings.clock import FrozenClock
from community.meetings.scheduler import step
from community.meetings.tables import MeetingSeat
from community.models import Flag, Membership, Message
from community.settings import Settings
from tests.conftest import csrf_of, make_client
from tests.meetings_app.conftest import START, Hub

MIN = timedelta(minutes=1)


def _say(hub: Hub, meeting: int, handle: str, text: str) -> int:
    slug = hub.room(meeting).slug
    r = hub.post(f"/rooms/{slug}/messages", handle, text=text, client_id=str(uuid.uuid4()))
    assert r.status_code == 303, r.text
    with hub.session() as s:
        msg = s.exec(select(Message).order_by(Message.id.desc())).first()  # type: ignore[union-attr]
        assert msg is not None and msg.id is not None
        return msg.id


def _phases(events: list[tuple[str, dict[str, object]]]) -> list[object]:
    return [e["phase"] for _, e in events if e["type"] == "meeting_phase"]


def test_room_opens_goes_live_closes_and_deletes_on_end(hub: Hub) -> None:
    mid = hub.create(retention="delete_on_end")
    assert hub.at(START - 16 * MIN) == []  # still scheduled: nothing happens
    assert hub.room(mid).read_only
    assert _phases(hub.at(START - 15 * MIN)) == ["lobby"]
    room = hub.room(mid)
    assert not room.read_only and not room.hidden
    assert hub.join(mid, "ann").status_code == 303
    first = _say(hub, mid, "ann", "hello everyone")
    with hub.session() as s:  # a moderation flag on a message must survive its deletion
        s.add(Flag(source="report", message_id=first, room_id=room.id, reason="test"))
        s.commit()
    assert _phases(hub.at(START)) == ["live"]
    _say(hub, mid, "ann", "my week was hard")
    events = hub.at(START + 60 * MIN)
    assert _phases(events) == ["hidden"]  # delete_on_end hides at the end itself
    assert events[0][0] == f"{{room:{room.slug}}}"
    room = hub.room(mid)
    assert room.read_only and room.hidden
    with hub.session() as s:
        assert s.exec(select(Message).where(Message.room_id == room.id)).all() == []
        flag = s.exec(select(Flag)).one()
        assert flag.message_id is None and flag.reason == "test"
        assert s.exec(select(MeetingSeat)).all() == []
        members = s.exec(select(Membership).where(Membership.room_id == room.id)).all()
        assert [m.user_id for m in members] == [hub.user_id("fac")]
    assert hub.occurrence(mid).attendance == 1


def test_hide_after_keeps_a_read_only_room_then_hides_it(hub: Hub) -> None:
    mid = hub.create(retention="hide_after", hide_after_hours="2")
    hub.at(START - 10 * MIN)
    hub.join(mid, "ann")
    _say(hub, mid, "ann", "hello")
    assert _phases(hub.at(START + 61 * MIN)) == ["closed"]  # straight from lobby: one step
    room = hub.room(mid)
    assert room.read_only and not room.hidden
    r = hub.post(f"/rooms/{room.slug}/messages", "ann", text="late", client_id=str(uuid.uuid4()))
    assert r.status_code == 403 and "closed" in r.text
    assert hub.get(f"/rooms/{room.slug}", "ann").status_code == 200  # still readable
    assert _phases(hub.at(START + 181 * MIN)) == ["hidden"]
    room = hub.room(mid)
    assert room.hidden
    assert hub.get(f"/rooms/{room.slug}", "ann").status_code == 404
    with hub.session() as s:  # hide_after hides but keeps the messages
        assert len(s.exec(select(Message).where(Message.room_id == room.id)).all()) == 1


def test_next_occurrence_reopens_and_needs_a_fresh_join(hub: Hub) -> None:
    mid = hub.create()
    hub.at(START)
    hub.join(mid, "ann")
    hub.at(START + 61 * MIN)
    room = hub.room(mid)
    assert room.read_only and not room.hidden  # keep: readable, never hidden
    assert _phases(hub.at(START + timedelta(days=7) - 15 * MIN)) == ["lobby"]
    assert not hub.room(mid).read_only
    with hub.session() as s:  # last week's participants re-enter through the join flow
        ids = {m.user_id for m in s.exec(select(Membership).where(Membership.room_id == room.id))}
    assert ids == {hub.user_id("fac")}


def test_step_is_idempotent_and_claims_each_transition_once(hub: Hub) -> None:
    mid = hub.create()
    hub.clock.set(START)
    with hub.session() as s:
        first = step(s, START)
        s.commit()
    with hub.session() as s:
        again = step(s, START)
        s.commit()
    assert _phases(first) == ["live"] and again == []
    assert hub.occurrence(mid).phase == "live"


def test_cancelled_occurrence_never_opens(hub: Hub) -> None:
    mid = hub.create()
    hub.post(f"/meetings/{mid}/exceptions", "fac", action="cancel", original_date="2026-03-10")
    assert hub.at(START) == []
    assert hub.room(mid).read_only
    page = hub.get(f"/meetings/{mid}", "ann").text
    assert "Tue 17 Mar 2026, 19:00" in page


def test_lifespan_loop_applies_phases_on_its_own(settings: Settings) -> None:
    """The background loop started in the lifespan opens the room (polls, no fixed sleep)."""
    client = make_client(settings, meetings_tick_seconds=0.05)
    client.app.state.meeting_clock = FrozenClock(START)  # type: ignore[attr-defined]
    with client:
        hub = Hub(client, settings, client.app.state.meeting_clock, csrf_of(client, "/login"))  # type: ignore[attr-defined]
        hub.person("fac", "facilitator")
        mid = hub.create()
        deadline = time.monotonic() + 10
        while hub.room(mid).read_only and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not hub.room(mid).read_only and hub.occurrence(mid).phase == "live"
