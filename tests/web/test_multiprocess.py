"""Two uvicorn processes of the app on one real Redis: what crosses processes.

Clients are real websocket clients (the `websockets` library) on loopback.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.conftest import make_room
from tests.redis_fixtures import RestartableRedis
from tests.servers import Server, frame_until, free_port, register_on, running, server_env

pytestmark = pytest.mark.slow


def _token(server: Server, handle: str) -> str:
    return register_on(server, handle)


def _ws(server: Server, token: str, after: int = 0) -> ClientConnection:
    return connect(
        f"{server.ws_url}/ws/rooms/welcome?after={after}",
        additional_headers={"Authorization": f"Bearer {token}"},
        open_timeout=10,
    )


def _send(ws: ClientConnection, text: str, cid: str | None = None) -> str:
    cid = cid or str(uuid.uuid4())
    ws.send(json.dumps({"type": "send", "client_id": cid, "text": text}))
    return cid


@pytest.fixture
def pair(
    settings: Any, tmp_path: Path, restartable_redis: RestartableRedis
) -> Iterator[tuple[Server, Server, RestartableRedis]]:
    env = server_env(
        tmp_path, settings.database_url, restartable_redis.url, HEARTH_RATE_LIMIT_BURST="1000"
    )
    servers = [Server(free_port(), env, tmp_path / f"server{i}.log") for i in range(2)]
    with running(servers):
        yield servers[0], servers[1], restartable_redis


def _setup(a: Server) -> tuple[str, str]:
    ta, tb = _token(a, "alex"), _token(a, "blake")
    return ta, tb


def test_message_crosses_processes(
    pair: tuple[Server, Server, RestartableRedis], settings: Any
) -> None:
    a, b, _ = pair
    ta, tb = _setup(a)
    make_room(settings, "welcome", members=("alex", "blake"))
    with _ws(a, ta) as wa, _ws(b, tb) as wb:
        frame_until(wa, "replayed")
        frame_until(wb, "replayed")
        _send(wa, "across the hill")
        ack = frame_until(wa, "ack")
        msg = frame_until(wb, "message")
        assert msg["id"] == ack["id"] and msg["text"] == "across the hill"
        presence = frame_until(wb, "presence")
        while presence["count"] < 2:
            presence = frame_until(wb, "presence")
        assert presence["handles"] == ["alex", "blake"]


def test_resume_after_drop_recovers_everything(
    pair: tuple[Server, Server, RestartableRedis], settings: Any
) -> None:
    a, b, _ = pair
    ta, tb = _setup(a)
    make_room(settings, "welcome", members=("alex", "blake"))
    with _ws(b, tb) as wb:
        frame_until(wb, "replayed")
        with _ws(a, ta) as wa:
            _send(wa, "first")
            last = frame_until(wb, "message")["id"]
        # blake drops; alex keeps talking on the other process
    with _ws(a, ta) as wa:
        sent = []
        for i in range(20):
            _send(wa, f"while away {i}")
            sent.append(frame_until(wa, "ack")["id"])
    with _ws(b, tb, after=last) as wb:
        got = []
        while True:
            f = json.loads(wb.recv(timeout=10))
            if f["type"] == "message":
                got.append(f["id"])
            elif f["type"] == "replayed":
                break
    assert got == sent


def test_redis_restart_loses_no_acknowledged_message(
    pair: tuple[Server, Server, RestartableRedis], settings: Any
) -> None:
    a, b, redis = pair
    ta, tb = _setup(a)
    make_room(settings, "welcome", members=("alex", "blake"))
    with _ws(a, ta) as wa, _ws(b, tb) as wb:
        frame_until(wa, "replayed")
        frame_until(wb, "replayed")
        acked: list[int] = []
        redis.stop()
        for i in range(5):
            _send(wa, f"during outage {i}")
            acked.append(frame_until(wa, "ack", timeout=15)["id"])
        redis.start()
        for i in range(5):
            _send(wa, f"after outage {i}")
            acked.append(frame_until(wa, "ack", timeout=15)["id"])
        seen: set[int] = set()
        deadline = time.monotonic() + 30
        while not set(acked) <= seen and time.monotonic() < deadline:
            f = json.loads(wb.recv(timeout=30))
            if f["type"] == "message":
                assert f["id"] not in seen, "duplicate delivery"
                seen.add(f["id"])
        assert set(acked) <= seen
    health = httpx.get(b.url + "/healthz").json()
    assert health["broker"]["connected"] is True


def test_two_processes_sending_at_once_reach_a_reader_in_order(
    pair: tuple[Server, Server, RestartableRedis], settings: Any
) -> None:
    """Both processes commit and publish into one room at once; publishes may cross.

    Whatever order Redis delivers them in, a reader gets every acknowledged message
    once, in id order (tests/web/test_ws_order.py forces the crossing itself).
    """
    a, b, _ = pair
    ta, tb = _setup(a)
    tc = _token(a, "casey")
    make_room(settings, "welcome", members=("alex", "blake"))
    with _ws(a, ta) as wa, _ws(b, tb) as wb, _ws(b, tc) as wc:
        for ws in (wa, wb, wc):
            frame_until(ws, "replayed")
        for i in range(40):
            _send(wa, f"from a {i}")
            _send(wb, f"from b {i}")
        acked = {frame_until(ws, "ack")["id"] for ws in (wa, wb) for _ in range(40)}
        got: list[int] = []
        while len(got) < len(acked):
            got.append(frame_until(wc, "message")["id"])
    assert got == sorted(acked)
