"""Property-based fuzzing of the websocket protocol against a real uvicorn server.

Random frames (garbage text, invalid UTF-8 and binary, deep JSON, huge numbers,
unknown fields and types, wrong field types): the server never errors out, the
socket stays usable, and nothing is stored except what was acknowledged.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.conftest import PASSWORD, make_room
from tests.servers import Server, free_port, running, server_env

pytestmark = pytest.mark.slow

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False),
    st.text(max_size=50),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
send_frames = st.fixed_dictionaries(
    {"type": st.just("send")},
    optional={
        "client_id": st.one_of(st.uuids().map(str), json_scalars),
        "text": st.one_of(st.text(max_size=300), json_scalars, st.lists(st.text(max_size=5))),
        "extra": json_values,
    },
)
frames = st.one_of(
    st.text(max_size=200),
    send_frames.map(json.dumps),
    st.dictionaries(st.text(max_size=10), json_values, max_size=5).map(json.dumps),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.binary(max_size=200),
    st.sampled_from([b"\xff\xfe\xfd", b"\xc3\x28", "\ud800".encode("utf-8", "surrogatepass")]),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    from community import db

    tmp = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp}/fuzz.db"
    db.upgrade(url)
    env = server_env(tmp, url, "memory://", HEARTH_RATE_LIMIT_ENABLED="false")
    srv = Server(free_port(), env, tmp / "server.log")
    with running([srv]):
        body = {
            "handle": "fuzzer",
            "password": PASSWORD,
            "accept_guidelines": True,
            "age_confirmed": True,
        }
        token = httpx.post(srv.url + "/api/auth/register", json=body).json()["token"]
        settings_like = type("S", (), {"database_url": url})()
        make_room(settings_like, "welcome", members=("fuzzer",))  # type: ignore[arg-type]
        yield srv, token
    assert "Traceback" not in (tmp / "server.log").read_text(), "server raised"


class Session:
    """One socket reused across examples, reopened only after the server closed it."""

    def __init__(self, srv: Server, token: str) -> None:
        self.srv, self.token = srv, token
        self.ws: ClientConnection | None = None
        self.last_id = 0

    def socket(self) -> ClientConnection:
        if self.ws is None:
            self.ws = connect(
                f"{self.srv.ws_url}/ws/rooms/welcome?after=999999999",
                additional_headers={"Authorization": f"Bearer {self.token}"},
                max_size=2**20,
            ).__enter__()
            while json.loads(self.ws.recv(timeout=10))["type"] != "replayed":
                pass
        return self.ws

    def drop(self) -> None:
        if self.ws is not None:
            self.ws.close()
            self.ws = None

    def new_messages(self) -> int:
        """How many messages were stored since the last call."""
        r = httpx.get(
            self.srv.url + f"/api/rooms/welcome/messages?after={self.last_id}&limit=200",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert r.status_code == 200
        messages = r.json()["messages"]
        if messages:
            self.last_id = messages[-1]["id"]
        return len(messages)


@pytest.fixture(scope="module")
def session(server: tuple[Server, str]) -> Iterator[Session]:
    s = Session(*server)
    yield s
    s.drop()


def _reply(ws: ClientConnection) -> dict[str, Any]:
    """The server's answer to one frame (skipping presence and pings)."""
    while True:
        frame = json.loads(ws.recv(timeout=10))
        if frame["type"] in ("error", "ack", "pong"):
            return frame  # type: ignore[no-any-return]


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=frames)
def test_random_frames_never_break_the_server(session: Session, frame: str | bytes) -> None:
    ws = session.socket()
    acked = 0
    try:
        ws.send(frame)
        reply = _reply(ws)
        assert reply["type"] in ("error", "ack")
        if reply["type"] == "error":
            assert reply["code"] and reply["message"]
        elif reply["status"] == "delivered" and reply["id"] > session.last_id:
            acked = 1  # a repeated client_id is a retry: same ack, nothing new stored
        ws.send(json.dumps({"type": "ping"}))
        assert _reply(ws)["type"] == "pong"  # still usable
    except ConnectionClosed as closed:
        assert closed.rcvd is not None and closed.rcvd.code == 1009
        session.drop()
    assert session.new_messages() == acked  # nothing stored from an invalid frame


def test_oversized_frame_closes_1009(session: Session) -> None:
    ws = session.socket()
    ws.send(json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": "still fine"}))
    assert _reply(ws)["type"] == "ack"
    ws.send("x" * 100_000)
    with pytest.raises(ConnectionClosed) as e:
        _reply(ws)
    assert e.value.rcvd is not None and e.value.rcvd.code == 1009
    session.drop()
