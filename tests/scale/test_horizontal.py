"""Two web processes and one moderation worker on a real Redis and the test database.

Everything a person or a moderator sees must agree across processes: messages,
presence, rate limits, mutes, bans and moderation flags (with the worker's scores).
CI runs the suite again on PostgreSQL (TEST_DATABASE_URL), so this runs there too.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from community import db
from community.models import Flag, User
from community.settings import Settings
from tests.conftest import PASSWORD, make_room, set_role
from tests.scale.conftest import WorkerProcess, model_env, worker_env
from tests.servers import Server, frame_until, free_port, register_on

pytestmark = pytest.mark.slow
BURST = 6


@pytest.fixture
def cluster(
    settings: Settings,
    quiet_model: tuple[Path, Path],
    redis_url: str,
    redis_prefix: str,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> Iterator[tuple[Server, Server]]:
    env = worker_env(
        tmp_path,
        settings.database_url,
        redis_url,
        redis_prefix,
        HEARTH_MODERATION_WORKERS="streams",
        HEARTH_MODEL_TIMEOUT_MS="3000",  # about the worker being used, not its latency
        HEARTH_RATE_LIMIT_BURST=str(BURST),
        HEARTH_RATE_LIMIT_PER_MINUTE="1",
        **model_env(quiet_model),
    )
    worker = WorkerProcess(env, "only", tmp_path / "worker.log").start()
    workers.append(worker)
    # The web processes load no model: HEARTH_MODERATION_WORKERS=streams sends texts on.
    servers = [Server(free_port(), env, tmp_path / f"web{i}.log") for i in range(2)]
    try:
        # Side by side: each start is mostly imports, and the worker loads meanwhile.
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(Server.start, servers))
        worker.wait_ready(redis_url, redis_prefix)
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


def _until_ready(server: Server, within: float = 5.0) -> None:
    """Until the web process counts the worker (it polls the heartbeats every second)."""
    deadline = time.monotonic() + within
    while (model := _model(server))["state"] != "ready":
        assert time.monotonic() < deadline, model
        time.sleep(0.1)
    assert model["workers"] == 1, model


def _model(server: Server) -> dict[str, Any]:
    model: dict[str, Any] = httpx.get(server.url + "/healthz").json()["moderation"]["model"]
    return model


def _token(server: Server, handle: str) -> str:
    return register_on(server, handle)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def _room(server: Server, token: str) -> Iterator[ClientConnection]:
    with connect(f"{server.ws_url}/ws/rooms/welcome", additional_headers=_auth(token)) as ws:
        frame_until(ws, "replayed")
        yield ws


def _send(ws: ClientConnection, text: str) -> dict[str, Any]:
    """Send; the answer for this client_id: an ack or an error."""
    cid = str(uuid.uuid4())
    ws.send(json.dumps({"type": "send", "client_id": cid, "text": text}))
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=10))
        if frame["type"] in ("ack", "error") and frame.get("client_id") == cid:
            return frame


def _user_id(settings: Settings, handle: str) -> int:
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        uid = s.exec(select(User.id).where(User.handle_key == handle)).one()
    engine.dispose()
    assert uid is not None
    return uid


def _flags(settings: Settings) -> list[Flag]:
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        flags = list(s.exec(select(Flag)).all())
        s.expunge_all()
    engine.dispose()
    return flags


def _moderator_browser(server: Server, handle: str) -> httpx.Client:
    """A logged-in browser session; its cookie is valid on every web process."""
    browser = httpx.Client(headers={"Accept": "application/json"})
    r = browser.post(
        server.url + "/login",
        data={"handle": handle, "password": PASSWORD, "csrf_token": _csrf(browser, server.url)},
    )
    assert r.status_code == 303, r.text
    return browser


def _csrf(browser: httpx.Client, url: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(url + "/login").text)
    assert match, "no CSRF token on the login page"
    return match.group(1)


def _act(browser: httpx.Client, server: Server, member: int, action: str, **form: str) -> None:
    """A moderator's member action, posted like the workspace's form does."""
    page = browser.get(f"{server.url}/moderation/members/{member}").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page
    data = {"reason": "scale test", "csrf_token": match.group(1)} | form
    r = browser.post(f"{server.url}/moderation/members/{member}/{action}", data=data)
    assert r.status_code == 200 and r.json()["ok"], r.text


def test_two_web_processes_and_a_worker_agree(
    cluster: tuple[Server, Server], settings: Settings
) -> None:
    a, b = cluster
    alex, blake, mo = (_token(a, h) for h in ("alex", "blake", "morgan"))
    set_role(settings, "morgan", "moderator")
    make_room(settings, "welcome", members=("alex", "blake"))
    for server in (a, b):
        _until_ready(server)

    with (
        connect(f"{b.ws_url}/ws/moderation", additional_headers=_auth(mo)) as modsock,
        _room(a, alex) as wa,
        _room(b, blake) as wb,
    ):
        frame_until(modsock, "hello")
        # A message sent on A arrives on B; B's presence shows people on both.
        ack = _send(wa, "hello friend")
        assert ack["type"] == "ack"
        assert frame_until(wb, "message")["id"] == ack["id"]
        presence = frame_until(wb, "presence")
        while presence["count"] < 2:
            presence = frame_until(wb, "presence")
        assert presence["handles"] == ["alex", "blake"]

        # A crisis on A: the worker scored it, the flag reaches the moderator on B, and
        # the card on A knows that moderator is online (presence is shared).
        crisis = _send(wa, "I want to die")
        card = frame_until(wa, "crisis_resources")
        assert card["moderator_notified"] is True
        flag_event = frame_until(modsock, "flag")
        assert flag_event["message_id"] == crisis["id"] and flag_event["severity"] == "high"
        [flag] = [f for f in _flags(settings) if f.message_id == crisis["id"]]
        assert flag.model_state == "used" and flag.status == "open"

        # The rate limit is per person, not per process: a burst spent on A is spent on B.
        sent = 2
        while (frame := _send(wa, f"filler {sent}"))["type"] == "ack":
            sent += 1
        assert frame["code"] == "rate_limited" and sent == BURST
        with _room(b, alex) as alex_on_b:
            assert _send(alex_on_b, "one more")["code"] == "rate_limited"

        # A mute applied through A holds on B.
        browser = _moderator_browser(a, "morgan")
        _act(browser, a, _user_id(settings, "blake"), "mute", minutes="15", scope="everywhere")
        assert _send(wb, "can I still talk")["code"] == "muted"

        # A ban applied through B closes alex's socket on A at once.
        _act(browser, b, _user_id(settings, "alex"), "ban")
        frame_until(wa, "banned")
        with pytest.raises(ConnectionClosed) as closed:
            wa.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4003
