"""Every route and socket action against every role: allowed or refused, in one table.

Roles: logged out, member, muted, banned, non-member (of the private room),
facilitator, moderator, admin. Bearer tokens stand in for sessions (the same
`load_user` serves both); CSRF has its own test.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from community import db
from community.models import User, utcnow
from community.settings import Settings
from tests.conftest import make_client, make_room, register, set_role

ROLES = [
    "logged_out",
    "member",
    "muted",
    "banned",
    "non_member",
    "facilitator",
    "moderator",
    "admin",
]
EVERYONE_IN = {"member", "muted", "facilitator", "moderator", "admin"}
STAFF = {"moderator", "admin"}


@dataclass
class World:
    client: TestClient
    tokens: dict[str, str | None]
    invite: str

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens[role]
        return {"Authorization": f"Bearer {token}"} if token else {}


def _http(method: str, path: str, ok: set[int] | None = None) -> Callable[[World, str], bool]:
    def check(w: World, role: str) -> bool:
        r = w.client.request(method, path, headers=w.headers(role), follow_redirects=False)
        if r.status_code in (401, 403, 404) or (
            r.status_code == 303 and "/login" in r.headers.get("location", "")
        ):
            return False
        assert r.status_code in (ok or {200}), (path, role, r.status_code)
        return True

    return check


def _ws_connect(path: str) -> Callable[[World, str], bool]:
    def check(w: World, role: str) -> bool:
        try:
            with w.client.websocket_connect(path, headers=w.headers(role)) as ws:
                frame = json.loads(ws.receive_text())
                return frame["type"] != "error"
        except WebSocketDisconnect:
            return False

    return check


def _ws_send(w: World, role: str) -> bool:
    try:
        with w.client.websocket_connect("/ws/rooms/open", headers=w.headers(role)) as ws:
            ws.send_text(json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": "hi"}))
            while True:
                frame = json.loads(ws.receive_text())
                if frame["type"] == "ack":
                    return True
                if frame["type"] == "error":
                    return False
    except WebSocketDisconnect:
        return False


MATRIX: dict[str, tuple[Callable[[World, str], bool], set[str]]] = {
    "home page": (_http("GET", "/"), set(ROLES)),
    "help page": (_http("GET", "/help"), set(ROLES)),
    "view public room": (_http("GET", "/rooms/open"), EVERYONE_IN | {"non_member"}),
    "view private room": (_http("GET", "/rooms/closed"), EVERYONE_IN),
    "private history API": (_http("GET", "/api/rooms/closed/messages"), EVERYONE_IN),
    "private room socket": (_ws_connect("/ws/rooms/closed"), EVERYONE_IN),
    "post in public room": (_ws_send, {"member", "facilitator", "moderator", "admin"}),
    "account page": (_http("GET", "/account"), EVERYONE_IN | {"non_member"}),
    "new meeting form": (_http("GET", "/meetings/new"), {"facilitator", "admin"}),
    "moderation queue": (_http("GET", "/moderation"), STAFF),
    "audit log": (_http("GET", "/moderation/audit"), STAFF),
    "moderators socket": (_ws_connect("/ws/moderation"), STAFF),
}


@pytest.fixture
def world(settings: Settings) -> Any:
    with make_client(settings) as client:
        tokens: dict[str, str | None] = {"logged_out": None}
        for role in ROLES[1:]:
            tokens[role] = register(client, f"u_{role}")
        for role in ("facilitator", "moderator", "admin"):
            set_role(settings, f"u_{role}", role)
        inside = tuple(f"u_{r}" for r in sorted(EVERYONE_IN | {"banned"}))
        make_room(settings, "open", members=inside)
        room = make_room(settings, "closed", private=True, members=inside)
        engine = db.make_engine(settings.database_url)
        with db.session_scope(engine) as s:
            for u in s.exec(select(User).where(User.handle_key.in_(["u_muted", "u_banned"]))):  # type: ignore[attr-defined]
                if u.handle_key == "u_muted":
                    u.muted_until = utcnow() + timedelta(hours=1)
                else:
                    u.banned = True
        engine.dispose()
        yield World(client, tokens, room.invite_code or "")


@pytest.mark.parametrize("action", list(MATRIX))
def test_matrix(world: World, action: str) -> None:
    check, allowed = MATRIX[action]
    got = {role for role in ROLES if check(world, role)}
    assert got == allowed, f"{action}: allowed {sorted(got)}, expected {sorted(allowed)}"
