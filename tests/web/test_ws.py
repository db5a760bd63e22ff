"""The room websocket through Starlette's TestClient (one process, memory:// broker).

Cross-process behaviour (two uvicorn processes on a real Redis) is in test_multiprocess.py.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from community.settings import Settings
from tests.conftest import make_client, make_room, recv_until, register

ORIGIN = {"origin": "http://testserver"}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _connect(client: TestClient, token: str, slug: str = "welcome", after: int = 0) -> Any:
    ws = client.websocket_connect(f"/ws/rooms/{slug}?after={after}", headers=_auth(token))
    return ws


@pytest.fixture
def room_users(client: TestClient, settings: Settings) -> tuple[str, str]:
    a, b = register(client, "alex"), register(client, "blake")
    make_room(settings, "welcome", members=("alex", "blake"))
    return a, b


def _send(ws: Any, text: str, client_id: str | None = None) -> str:
    cid = client_id or str(uuid.uuid4())
    ws.send_text(json.dumps({"type": "send", "client_id": cid, "text": text}))
    return cid


def test_send_ack_and_fan_out(client: TestClient, room_users: tuple[str, str]) -> None:
    a, b = room_users
    with _connect(client, a) as wa, _connect(client, b) as wb:
        recv_until(wa, "replayed")
        recv_until(wb, "replayed")
        cid = _send(wa, "hello from alex")
        ack = recv_until(wa, "ack")
        assert ack["client_id"] == cid and ack["status"] == "delivered" and ack["id"] > 0
        for ws in (wa, wb):
            msg = recv_until(ws, "message")
            assert msg["id"] == ack["id"] and msg["text"] == "hello from alex"
            assert msg["author"] == {"handle": "alex"} and msg["room"] == "welcome"
            assert msg["created_at"].endswith("Z")


def test_retry_is_idempotent(client: TestClient, room_users: tuple[str, str]) -> None:
    a, _ = room_users
    with _connect(client, a) as ws:
        recv_until(ws, "replayed")
        cid = _send(ws, "once only")
        first = recv_until(ws, "ack")
        _send(ws, "once only", cid)
        second = recv_until(ws, "ack")
        assert first["id"] == second["id"]
    r = client.get("/api/rooms/welcome/messages", headers=_auth(a))
    assert [m["text"] for m in r.json()["messages"]] == ["once only"]


def test_resume_replays_exactly_the_missed(client: TestClient, room_users: tuple[str, str]) -> None:
    a, b = room_users
    with _connect(client, a) as wa:
        recv_until(wa, "replayed")
        ids = []
        for i in range(5):
            _send(wa, f"m{i}")
            ids.append(recv_until(wa, "ack")["id"])
    with _connect(client, b, after=ids[1]) as wb:
        got = []
        while True:
            f = json.loads(wb.receive_text())
            if f["type"] == "message":
                got.append(f["id"])
            if f["type"] == "replayed":
                break
        assert got == ids[2:]
        assert f["last_id"] == ids[-1]


def test_bad_frames_get_errors_and_connection_stays(
    client: TestClient, room_users: tuple[str, str]
) -> None:
    a, _ = room_users
    with _connect(client, a) as ws:
        recv_until(ws, "replayed")
        cases = [
            ("{nope", "bad_json"),
            ("[1, 2]", "bad_json"),
            ("[" * 5000 + "]" * 5000, "bad_json"),
            (json.dumps({"type": "dance"}), "unknown_type"),
            (json.dumps({"type": "send", "client_id": "x", "text": "hi"}), "bad_client_id"),
            (json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": "   "}), "empty"),
            (json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": 5}), "bad_text"),
            (
                json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": "x" * 2001}),
                "too_long",
            ),
        ]
        for raw, code in cases:
            ws.send_text(raw)
            err = recv_until(ws, "error")
            assert err["code"] == code, raw[:40]
            assert err["message"]
        ws.send_bytes(b"\x00\x01")
        assert recv_until(ws, "error")["code"] == "bad_frame"
        ws.send_text(json.dumps({"type": "ping"}))
        assert recv_until(ws, "pong")["type"] == "pong"
    r = client.get("/api/rooms/welcome/messages", headers=_auth(a))
    assert r.json()["messages"] == []  # nothing stored from an invalid frame


def test_oversized_frame_closes_1009(client: TestClient, room_users: tuple[str, str]) -> None:
    a, _ = room_users
    with _connect(client, a) as ws:
        recv_until(ws, "replayed")
        ws.send_text(
            json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": "x" * 20000})
        )
        with pytest.raises(WebSocketDisconnect) as e:
            while True:
                ws.receive_text()
        assert e.value.code == 1009


def test_flood_is_rate_limited(settings: Settings) -> None:
    with make_client(settings, rate_limit_burst=3, rate_limit_per_minute=6) as client:
        a = register(client, "alex")
        make_room(settings, "welcome", members=("alex",))
        with _connect(client, a) as ws:
            recv_until(ws, "replayed")
            for i in range(3):
                _send(ws, f"m{i}")
                assert recv_until(ws, "ack")["status"] == "delivered"
            cid = _send(ws, "one too many")
            err = recv_until(ws, "error")
            assert (
                err["code"] == "rate_limited" and err["retry_after"] > 0 and err["client_id"] == cid
            )


def test_wrong_origin_refused(client: TestClient, room_users: tuple[str, str]) -> None:
    from tests.conftest import login_browser

    login_browser(client, "alex")
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/ws/rooms/welcome", headers={"origin": "http://evil.example"}),
    ):
        pass
    with client.websocket_connect("/ws/rooms/welcome", headers=ORIGIN) as ws:
        assert recv_until(ws, "replayed")


def test_unauthenticated_and_non_member_refused(client: TestClient, settings: Settings) -> None:
    token = register(client, "alex")
    make_room(settings, "secret", private=True)
    with client.websocket_connect("/ws/rooms/secret", headers=_auth("forged")) as ws:
        assert recv_until(ws, "error")["code"] == "unauthorised"
        with pytest.raises(WebSocketDisconnect) as e:
            ws.receive_text()
        assert e.value.code == 4401
    with client.websocket_connect("/ws/rooms/secret", headers=_auth(token)) as ws:
        assert recv_until(ws, "error")["code"] == "forbidden"
        with pytest.raises(WebSocketDisconnect) as e:
            ws.receive_text()
        assert e.value.code == 4403


def test_public_non_member_can_read_not_post(client: TestClient, settings: Settings) -> None:
    token = register(client, "alex")
    make_room(settings, "welcome")
    with _connect(client, token) as ws:
        recv_until(ws, "replayed")
        _send(ws, "hi")
        assert recv_until(ws, "error")["code"] == "not_member"


def test_presence_reports_handles(client: TestClient, room_users: tuple[str, str]) -> None:
    a, b = room_users
    with _connect(client, a) as wa, _connect(client, b) as wb:
        recv_until(wb, "replayed")
        frame = recv_until(wa, "presence")
        while frame["count"] < 2:
            frame = recv_until(wa, "presence")
        assert frame["handles"] == ["alex", "blake"]


def _set_room(settings: Settings, slug: str, **values: Any) -> None:
    from sqlalchemy import update

    from community import db
    from community.models import Room

    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        s.execute(update(Room).where(Room.slug == slug).values(**values))  # type: ignore[arg-type]
    engine.dispose()


def test_room_changes_apply_to_open_sockets_at_once(
    client: TestClient, settings: Settings, room_users: tuple[str, str]
) -> None:
    """The socket holds the room as it was at connect; every send reads it fresh."""
    a, _ = room_users
    crisis = "I have the pills ready, tonight is the night"
    with _connect(client, a) as ws:
        recv_until(ws, "replayed")
        _set_room(settings, "welcome", hold_crisis=True)
        for _ in range(2):  # the second send starts from the policy the first one read
            _send(ws, crisis)
            assert recv_until(ws, "ack")["status"] == "held"
        _set_room(settings, "welcome", hold_crisis=False)
        _send(ws, crisis)
        assert recv_until(ws, "ack")["status"] == "delivered"
        _set_room(settings, "welcome", read_only=True)
        _send(ws, "hello?")
        assert recv_until(ws, "error")["code"] == "read_only"
