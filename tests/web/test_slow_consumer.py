"""A real slow consumer, cut off by TCP back-pressure, resumes with nothing lost.

One uvicorn process. A client with a tiny socket receive buffer joins a room and
stops reading; another client floods the room (rate limits off). The server's
writes to the slow socket back up (kernel buffers, then the transport's), its
bounded subscriber queue fills and it is closed with 4008. It then reads what had
reached it, reconnects with `?after=<last id>` and must end up with every
acknowledged message exactly once, in order.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from community.broker.errors import OVERFLOW_CLOSE_CODE
from tests.conftest import make_room
from tests.servers import Server, frame_until, free_port, register_on, running, server_env

pytestmark = pytest.mark.slow

QUEUE = 8  # HEARTH_SUBSCRIBER_QUEUE: events a socket may lag behind
TEXT = "x" * 1500  # large frames fill the buffers in a few hundred messages
FLOOD_LIMIT = 8000  # give up (fail) if this many sends never overflowed the socket
OVERFLOW_LOG = "subscriber overflowed"


@pytest.fixture
def server(settings: Any, tmp_path: Path) -> Iterator[Server]:
    env = server_env(
        tmp_path,
        settings.database_url,
        "memory://",
        HEARTH_RATE_LIMIT_ENABLED="false",
        HEARTH_SUBSCRIBER_QUEUE=str(QUEUE),
    )
    with running([Server(free_port(), env, tmp_path / "server.log")]) as (s,):
        yield s


def _ws(server: Server, token: str, after: int = 0, **kw: Any) -> ClientConnection:
    return connect(
        f"{server.ws_url}/ws/rooms/welcome?after={after}",
        additional_headers={"Authorization": f"Bearer {token}"},
        open_timeout=10,
        **kw,
    )


def _slow_socket(server: Server) -> socket.socket:
    """A TCP socket whose receive buffer is set small before connecting.

    Set before connect, so the window advertised in the handshake is small too and
    Linux does not autotune the buffer up.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    return sock


class Flooder:
    """Sends without waiting for acks; a thread reads (so it never falls behind)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.acked: dict[str, int] = {}
        self.sent = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            for raw in self.ws:
                frame = json.loads(raw)
                if frame["type"] == "ack":
                    self.acked[frame["client_id"]] = frame["id"]
                assert frame["type"] != "error", frame
        except ConnectionClosed:
            pass

    def send(self, n: int) -> None:
        for _ in range(n):
            cid = str(uuid.uuid4())
            self.ws.send(json.dumps({"type": "send", "client_id": cid, "text": TEXT}))
            self.sent += 1

    def wait_acks(self, timeout: float = 30.0) -> list[int]:
        deadline = time.monotonic() + timeout
        while len(self.acked) < self.sent and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.acked) == self.sent, f"{len(self.acked)} of {self.sent} acked"
        return sorted(self.acked.values())


def _overflowed(server: Server) -> bool:
    return OVERFLOW_LOG in server.log.read_text(errors="replace")


def _flood_until_overflow(server: Server, flooder: Flooder) -> None:
    while not _overflowed(server):
        assert flooder.sent < FLOOD_LIMIT, "the slow socket never overflowed"
        flooder.send(50)
        # Acks pace the flood: the server stores each send before the next.
        while len(flooder.acked) < flooder.sent - 25:
            time.sleep(0.01)


def _read_to_close(ws: ClientConnection, timeout: float = 30.0) -> tuple[list[int], int | None]:
    """Every message id the cut-off socket still delivers, and its close code."""
    ids: list[int] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            frame = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if frame["type"] == "message":
                ids.append(frame["id"])
    except ConnectionClosed:
        pass
    return ids, ws.close_code


def _replay(server: Server, token: str, after: int) -> list[int]:
    ids = []
    with _ws(server, token, after=after) as ws:
        while (frame := json.loads(ws.recv(timeout=30)))["type"] != "replayed":
            if frame["type"] == "message":
                ids.append(frame["id"])
    return ids


def test_slow_consumer_is_cut_off_with_4008_and_resumes_exactly_once(
    server: Server, settings: Any
) -> None:
    slow_token, fast_token = register_on(server, "slowpoke"), register_on(server, "flooder")
    make_room(settings, "welcome", members=("slowpoke", "flooder"))
    started = time.monotonic()
    # max_queue=1: the client library's own reader stops after one buffered frame, so
    # not calling recv() really leaves the bytes in the (small) kernel buffer.
    with _ws(server, slow_token, sock=_slow_socket(server), max_queue=1) as slow:
        frame_until(slow, "replayed")
        with _ws(server, fast_token) as fast:
            frame_until(fast, "replayed")
            flooder = Flooder(fast)
            _flood_until_overflow(server, flooder)
            flooder.send(20)  # sent after the cut-off: only the resume can bring these
            acked = flooder.wait_acks()
        live, code = _read_to_close(slow)
    print(f"sent {len(acked)}, delivered live before 4008: {len(live)}")
    assert code == OVERFLOW_CLOSE_CODE
    assert live == sorted(live) and len(live) < len(acked), "it was cut off, not fed"
    replayed = _replay(server, slow_token, after=live[-1] if live else 0)
    assert live + replayed == acked, "every acknowledged message exactly once, in order"
    assert time.monotonic() - started < 90
