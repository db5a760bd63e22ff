"""Faults: the database stops answering mid-conversation.

A send fails with a clear `unavailable` error frame, nothing is half-written (no
message, no flag), and the same client_id succeeds once the database is back.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from starlette.testclient import TestClient

from community import db
from community.settings import Settings
from tests.conftest import make_client, make_room, register


@contextmanager
def database_locked(url: str) -> Iterator[None]:
    """Hold the write lock on the core tables from another connection."""
    engine = db.make_engine(url)
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
    else:
        conn.begin()
        conn.execute(text("LOCK TABLE users, rooms, messages, flags IN ACCESS EXCLUSIVE MODE"))
    try:
        yield
    finally:
        conn.rollback() if engine.dialect.name != "sqlite" else conn.exec_driver_sql("ROLLBACK")
        conn.close()
        engine.dispose()


def _frames_until(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        f = json.loads(ws.receive_text())
        if f["type"] == kind or (kind == "ack" and f["type"] == "error"):
            return f  # type: ignore[no-any-return]


def test_database_unavailable_then_back(settings: Settings) -> None:
    with make_client(settings, db_timeout_seconds=0.5) as client:
        token = register(client, "alex")
        make_room(settings, "welcome", members=("alex",))
        headers = {"Authorization": f"Bearer {token}"}
        with client.websocket_connect("/ws/rooms/welcome", headers=headers) as ws:
            _frames_until(ws, "replayed")
            cid = str(uuid.uuid4())
            frame = json.dumps({"type": "send", "client_id": cid, "text": "I have the pills ready"})
            with database_locked(settings.database_url):
                ws.send_text(frame)
                err = _frames_until(ws, "ack")
            assert err["type"] == "error" and err["code"] == "unavailable"
            assert "not sent" in err["message"] and err["client_id"] == cid
            ws.send_text(frame)  # the client retries with the same client_id
            ack = _frames_until(ws, "ack")
            assert ack["type"] == "ack" and ack["status"] == "delivered"
        _assert_exactly_one(client, settings, headers)


def _assert_exactly_one(client: TestClient, settings: Settings, headers: dict[str, str]) -> None:
    messages = client.get("/api/rooms/welcome/messages", headers=headers).json()["messages"]
    assert [m["text"] for m in messages] == ["I have the pills ready"]
    engine = db.make_engine(settings.database_url)
    with engine.connect() as conn:
        flags = conn.execute(text("SELECT count(*) FROM flags")).scalar_one()
    engine.dispose()
    assert flags == 1  # one flag, from the send that was stored; none half-written before


def test_http_routes_fail_cleanly_when_database_locked(settings: Settings) -> None:
    with make_client(settings, db_timeout_seconds=0.5) as client:
        register(client, "alex")
        result: dict[str, int] = {}
        with database_locked(settings.database_url):
            t = threading.Thread(
                target=lambda: result.update(
                    status=client.post(
                        "/api/auth/register",
                        json={
                            "handle": "blake",
                            "password": "correct horse battery",
                            "accept_guidelines": True,
                            "age_confirmed": True,
                        },
                    ).status_code
                )
            )
            t.start()
            t.join(20)
        assert result["status"] == 503
        r = client.get("/healthz")
        assert r.status_code == 200
