"""Measured: crisis message sent on process A → `flag` on a moderator's queue socket on B.

Two real uvicorn processes share a SQLite file and a real Redis (the session's
throwaway server, with this test's key prefix). Print the numbers with `-s`:
    .venv/bin/pytest tests/workspace/test_latency.py -q -p no:cacheprovider -s
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.conftest import make_room, set_role
from tests.servers import Server, frame_until, free_port, register_on, running, server_env
from tests.workspace.conftest import IMMINENT

pytestmark = pytest.mark.slow
MESSAGES = 30


def _token(server: Server, handle: str) -> str:
    return register_on(server, handle)


def _ws(server: Server, path: str, token: str) -> ClientConnection:
    headers = {"Authorization": f"Bearer {token}"}
    return connect(server.ws_url + path, additional_headers=headers, open_timeout=10)


@pytest.fixture
def pair(
    settings: Any, tmp_path: Path, redis_url: str, redis_prefix: str
) -> Iterator[list[Server]]:
    env = server_env(
        tmp_path,
        settings.database_url,
        redis_url,
        HEARTH_KEY_PREFIX=redis_prefix,
        HEARTH_RATE_LIMIT_BURST="1000",
    )
    servers = [Server(free_port(), env, tmp_path / f"server{i}.log") for i in range(2)]
    with running(servers):
        yield servers


def test_crisis_reaches_moderator_on_other_process_fast(pair: list[Server], settings: Any) -> None:
    a, b = pair
    alex, mona = _token(a, "alex"), _token(a, "mona")
    set_role(settings, "mona", "moderator")
    make_room(settings, "welcome", members=("alex",))
    latencies: list[float] = []
    with _ws(b, "/ws/moderation", mona) as queue, _ws(a, "/ws/rooms/welcome", alex) as room:
        frame_until(queue, "hello")
        frame_until(room, "replayed")
        for i in range(MESSAGES):
            frame = {"type": "send", "client_id": str(uuid.uuid4()), "text": f"{IMMINENT} ({i})"}
            start = time.perf_counter()
            room.send(json.dumps(frame))
            flag = frame_until(queue, "flag")
            latencies.append(time.perf_counter() - start)
            ack = frame_until(room, "ack")
            assert flag["message_id"] == ack["id"] and flag["severity"] == "imminent"
            card = frame_until(room, "crisis_resources")
            assert card["moderator_notified"] is True  # presence crosses processes too
    ms = sorted(x * 1000 for x in latencies)
    p50, p99 = statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"\nmoderator alert latency over {len(ms)} crisis messages (A→Redis→B): "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms, min {ms[0]:.1f} ms, "
        f"first message {latencies[0] * 1000:.1f} ms"
    )
    assert p99 < 1000
