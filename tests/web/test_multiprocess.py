"""Two uvicorn processes of the app on one real Redis: what crosses processes.

Clients are real websocket clients (the `websockets` library) on loopback. Besides what
crosses processes: retries, the shared rate limit, bad frames and refusals, on real
processes (tests/web/test_ws.py has each in detail on the in-process app).
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
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

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


def _two(tmp_path: Path, env: dict[str, str]) -> list[Server]:
    return [Server(free_port(), env, tmp_path / f"server{i}.log") for i in range(2)]


@pytest.fixture
def pair(
    settings: Any, tmp_path: Path, restartable_redis: RestartableRedis
) -> Iterator[tuple[Server, Server, RestartableRedis]]:
    env = server_env(
        tmp_path, settings.database_url, restartable_redis.url, HEARTH_RATE_LIMIT_BURST="1000"
    )
    with running(_two(tmp_path, env)) as (a, b):
        yield a, b, restartable_redis


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


BURST = 4  # HEARTH_RATE_LIMIT_BURST of `strict_pair`


@pytest.fixture
def strict_pair(
    settings: Any, tmp_path: Path, restartable_redis: RestartableRedis
) -> Iterator[tuple[Server, Server]]:
    """Two processes with a small per-user token bucket (it refills 1 per minute)."""
    env = server_env(
        tmp_path,
        settings.database_url,
        restartable_redis.url,
        HEARTH_RATE_LIMIT_BURST=str(BURST),
        HEARTH_RATE_LIMIT_PER_MINUTE="1",
    )
    with running(_two(tmp_path, env)) as (a, b):
        yield a, b


def test_a_retry_on_the_other_process_gets_the_same_ack(
    pair: tuple[Server, Server, RestartableRedis], settings: Any
) -> None:
    """A client whose link dropped before the ack retries on another process."""
    a, b, _ = pair
    ta, _ = _setup(a)
    make_room(settings, "welcome", members=("alex",))
    with _ws(a, ta) as wa:
        frame_until(wa, "replayed")
        cid = _send(wa, "did this arrive?")
        first = frame_until(wa, "ack")
    with _ws(b, ta) as wb:
        frame_until(wb, "replayed")
        _send(wb, "did this arrive?", cid)
        again = frame_until(wb, "ack")
    assert (again["id"], again["status"]) == (first["id"], first["status"])
    history = httpx.get(
        f"{b.url}/api/rooms/welcome/messages", headers={"Authorization": f"Bearer {ta}"}
    ).json()
    assert [m["client_id"] for m in history["messages"]].count(cid) == 1


def test_the_rate_limit_is_shared_by_both_processes(
    strict_pair: tuple[Server, Server], settings: Any
) -> None:
    a, b = strict_pair
    ta, _ = _setup(a)
    make_room(settings, "welcome", members=("alex",))
    with _ws(a, ta) as wa, _ws(b, ta) as wb:
        frame_until(wa, "replayed")
        frame_until(wb, "replayed")
        for i in range(BURST):  # the bucket spent half on each process
            ws = wa if i % 2 else wb
            _send(ws, f"m{i}")
            assert frame_until(ws, "ack")["status"] == "delivered"
        for ws in (wa, wb):
            cid = _send(ws, "one too many")
            err = frame_until(ws, "error")
            assert err["code"] == "rate_limited" and err["client_id"] == cid
            assert err["retry_after"] > 0


def test_bad_frames_and_refusals_on_a_real_process(
    pair: tuple[Server, Server, RestartableRedis], settings: Any
) -> None:
    a, b, _ = pair
    ta, tb = _setup(a)
    make_room(settings, "welcome", members=("alex",))
    make_room(settings, "secret", private=True, members=("alex",))
    with _ws(b, ta) as wb:  # malformed JSON and unknown types: an error, the socket stays
        frame_until(wb, "replayed")
        wb.send("{not json")
        assert frame_until(wb, "error")["code"] == "bad_json"
        wb.send(json.dumps({"type": "dance"}))
        assert frame_until(wb, "error")["code"] == "unknown_type"
        _send(wb, "still here")
        assert frame_until(wb, "ack")["status"] == "delivered"
    with pytest.raises(InvalidStatus) as refused:  # no token, another site's page
        connect(
            f"{b.ws_url}/ws/rooms/welcome", origin=Origin("http://evil.example"), open_timeout=10
        )
    assert refused.value.response.status_code == 403
    non_member = connect(
        f"{b.ws_url}/ws/rooms/secret",
        additional_headers={"Authorization": f"Bearer {tb}"},
        open_timeout=10,
    )
    assert _refused_with(non_member) == ("forbidden", 4403)
    _ban(settings, "alex")  # a suspended account's tokens stop working everywhere
    assert _refused_with(_ws(b, ta)) == ("unauthorised", 4401)


def _refused_with(ws: ClientConnection) -> tuple[str, int]:
    with ws:
        code = frame_until(ws, "error")["code"]
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None
    return code, closed.value.rcvd.code


def _ban(settings: Any, handle: str) -> None:
    from sqlmodel import select

    from community import db
    from community.models import User

    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        s.exec(select(User).where(User.handle_key == handle)).one().banned = True
    engine.dispose()
