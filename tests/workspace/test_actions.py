"""Moderator actions and their live effects, seen by real sockets; the audit trail."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from community.models import AuditEntry, Membership, Message, Room, StaffNote
from tests.conftest import csrf_of, login_browser
from tests.workspace.conftest import HARMFUL, HIGH, IMMINENT, World, recv_until


def _room(world: World, who: str) -> Any:
    return world.client.websocket_connect("/ws/rooms/welcome", headers=world.auth(who))


def _queue(world: World, who: str = "mona") -> Any:
    return world.client.websocket_connect("/ws/moderation", headers=world.auth(who))


def _audit(world: World) -> list[AuditEntry]:
    with world.session() as s:
        return list(s.exec(select(AuditEntry).order_by(AuditEntry.id)).all())  # type: ignore[arg-type]


def _send_frame(ws: Any, text: str) -> str:
    cid = str(uuid.uuid4())
    ws.send_text(json.dumps({"type": "send", "client_id": cid, "text": text}))
    return cid


def test_release_delivers_held_message_to_the_room(world: World) -> None:
    with world.session() as s:
        s.exec(select(Room).where(Room.slug == "welcome")).one().hold_crisis = True
    with _room(world, "blake") as blake, _queue(world) as queue:
        recv_until(blake, "replayed")
        recv_until(queue, "hello")
        ack = world.send("alex", HIGH)
        assert ack["status"] == "held"
        flag = recv_until(queue, "flag")
        assert flag["message_id"] == ack["id"] and flag["severity"] == "high"
        r = world.act("mona", flag["flag_id"], "release", reason="checked: ok to show")
        assert r.status_code == 200, r.text
        msg = recv_until(blake, "message")
        assert msg["id"] == ack["id"] and msg["text"] == HIGH
        closed = recv_until(queue, "closed")
        assert closed == {
            "type": "closed",
            "flag_id": flag["flag_id"],
            "status": "resolved",
            "action": "release",
            "by": "mona",
        }
    with world.session() as s:
        stored = s.get(Message, ack["id"])
        assert stored is not None and stored.status == "visible" and stored.released_at
    entry = _audit(world)[-1]
    assert (entry.action, entry.actor_id, entry.message_id, entry.reason) == (
        "release",
        world.ids["mona"],
        ack["id"],
        "checked: ok to show",
    )
    again = world.act("mona", flag["flag_id"], "release")
    assert again.status_code == 409  # the item is resolved


def test_remove_disappears_for_others(world: World) -> None:
    with _room(world, "blake") as blake:
        recv_until(blake, "replayed")
        ack = world.send("alex", "something reported")
        recv_until(blake, "message")
        report = world.client.post(
            f"/api/messages/{ack['id']}/report",
            json={"reason": "hate"},
            headers=world.auth("blake"),
        )
        flag_id = report.json()["flag_id"]
        assert world.act("mona", flag_id, "remove", reason="hateful").status_code == 200
        assert recv_until(blake, "message_removed") == {"type": "message_removed", "id": ack["id"]}
    history = world.client.get("/api/rooms/welcome/messages", headers=world.auth("blake")).json()
    assert ack["id"] not in [m["id"] for m in history["messages"]]
    assert world.act("ada", flag_id, "remove").status_code == 409


def test_held_message_can_be_removed_unseen(world: World) -> None:
    ack = world.send("blake", HARMFUL)
    assert ack["status"] == "held"
    flag_id = world.flag_id_of(ack["id"])
    assert world.act("mona", flag_id, "remove", reason="abuse").status_code == 200
    with world.session() as s:
        stored = s.get(Message, ack["id"])
        assert stored is not None and stored.status == "removed" and stored.released_at is None
    assert world.flag(flag_id).status == "resolved"


@pytest.mark.parametrize("kind", ["check_in", "warning"])
def test_private_staff_message_reaches_the_author_only(world: World, kind: str) -> None:
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    with _room(world, "alex") as alex, _room(world, "blake") as blake:
        recv_until(alex, "replayed")
        recv_until(blake, "replayed")
        r = world.act("mona", flag_id, kind, text="Are you OK?", reason="crisis check")
        assert r.status_code == 200
        frame = recv_until(alex, "staff_message")
        assert frame == {"type": "staff_message", "kind": kind, "text": "Are you OK?"}
        blake.send_text(json.dumps({"type": "ping"}))
        assert json.loads(blake.receive_text())["type"] in ("pong", "presence")
    entries = _audit(world)
    assert entries[-1].action == kind and entries[-1].reason == "crisis check"
    assert all("Are you OK" not in e.reason for e in entries)


def test_muted_in_room_gets_muted_error(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HARMFUL)["id"])
    with _room(world, "alex") as alex:
        recv_until(alex, "replayed")
        r = world.act("mona", flag_id, "mute", minutes="15", scope="room", reason="cool off")
        assert r.status_code == 200 and "in welcome" in r.json()["notice"]
        assert recv_until(alex, "muted")["room"] == "welcome"
        cid = _send_frame(alex, "let me talk")
        err = recv_until(alex, "error")
        assert err["code"] == "muted" and err["client_id"] == cid
    with world.session() as s:
        m = s.exec(select(Membership).where(Membership.user_id == world.ids["alex"])).one()
        assert m.muted_until is not None
    assert world.user("alex").muted_until is None
    assert _audit(world)[-1].reason == "15 min; cool off"
    bad = world.act("mona", flag_id, "mute", minutes="7")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_duration"


def test_mute_everywhere_from_member_page(world: World) -> None:
    r = world.form_post("mona", f"/moderation/members/{world.ids['blake']}/mute", minutes="60")
    assert r.status_code == 200
    assert world.user("blake").muted_until is not None
    entry = _audit(world)[-1]
    assert (
        entry.action == "mute" and entry.room_id is None and entry.subject_id == world.ids["blake"]
    )


def test_ban_closes_live_socket_and_blocks_reconnect(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HARMFUL)["id"])
    with _room(world, "alex") as alex:
        recv_until(alex, "replayed")
        assert world.act("mona", flag_id, "ban", reason="threats").status_code == 200
        with pytest.raises(WebSocketDisconnect) as e:
            while True:
                alex.receive_text()
        assert e.value.code == 4003
    alex_user = world.user("alex")
    assert alex_user.banned and alex_user.session_epoch == 1
    with _room(world, "alex") as again:
        assert recv_until(again, "error")["code"] == "unauthorised"
    api = world.client.get("/api/rooms/welcome/messages", headers=world.auth("alex"))
    assert api.status_code == 401


def test_follow_up_needs_what_was_done(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", IMMINENT)["id"])
    r = world.act("mona", flag_id, "follow_up")
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = world.act("mona", flag_id, "follow_up", reason="Called with alex; safety plan in place")
    assert r.status_code == 200
    flag = world.flag(flag_id)
    assert flag.status == "resolved" and flag.resolved_at is not None
    entry = _audit(world)[-1]
    assert (entry.action, entry.flag_id) == ("follow_up", flag_id)
    assert entry.reason == "Called with alex; safety plan in place"


def test_dismiss_and_note_are_audited(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    assert world.act("mona", flag_id, "dismiss", reason="song lyrics").status_code == 200
    login_browser(world.client, "mona")
    page = f"/moderation/members/{world.ids['alex']}"
    token = csrf_of(world.client, page)
    r = world.client.post(
        f"{page}/note", data={"csrf_token": token, "text": "Knows Sam IRL"}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "Knows Sam IRL" in world.client.get(page).text
    empty = world.client.post(f"{page}/note", data={"csrf_token": token, "text": " "})
    assert empty.status_code == 400
    with world.session() as s:
        assert [n.text for n in s.exec(select(StaffNote)).all()] == ["Knows Sam IRL"]
    actions = [(e.action, e.reason) for e in _audit(world)]
    assert actions == [("dismiss", "song lyrics"), ("note", "")]
    assert world.flag(flag_id).status == "dismissed"
