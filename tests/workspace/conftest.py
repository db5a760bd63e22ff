"""Fixtures for the moderator workspace: people in every role, a room, crisis messages.

Everything is real: the app with its lifespan, the moderation pipeline, the memory
broker, a fresh database per test. Helpers talk to the app as clients do.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from community import db
from community.models import Flag, Room, User
from community.settings import Settings
from tests.conftest import make_room, register, set_role

ORIGIN = {"origin": "http://testserver"}
IMMINENT = "I am going to kill myself tonight, I have the pills ready"
HIGH = "I want to die"
LOW = "I wish I could disappear"
HARMFUL = "you are a worthless idiot, go kill yourself"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def recv_until(ws: Any, kind: str, limit: int = 50) -> dict[str, Any]:
    for _ in range(limit):
        frame = json.loads(ws.receive_text())
        if frame["type"] == kind:
            return frame  # type: ignore[no-any-return]
    raise AssertionError(f"no {kind} frame")


@dataclass
class World:
    client: TestClient
    settings: Settings
    tokens: dict[str, str]
    ids: dict[str, int]

    def send(self, handle: str, text: str, slug: str = "welcome") -> dict[str, Any]:
        """Send as `handle` over the room socket; returns the ack."""
        with self.client.websocket_connect(f"/ws/rooms/{slug}", headers=self.auth(handle)) as ws:
            recv_until(ws, "replayed")
            cid = str(uuid.uuid4())
            ws.send_text(json.dumps({"type": "send", "client_id": cid, "text": text}))
            return recv_until(ws, "ack")

    def auth(self, handle: str) -> dict[str, str]:
        return auth(self.tokens[handle])

    def flag_for(self, message_id: int) -> Flag:
        with self.session() as s:
            return s.exec(select(Flag).where(Flag.message_id == message_id)).one()

    def user(self, handle: str) -> User:
        with self.session() as s:
            return s.exec(select(User).where(User.handle_key == handle)).one()

    def session(self) -> Any:
        engine = self.client.app.state.engine  # type: ignore[attr-defined]
        return db.session_scope(engine)

    def act(self, handle: str, flag_id: int, action: str, **form: Any) -> Any:
        return self.client.post(
            f"/moderation/flags/{flag_id}/{action}", data=form, headers=self.auth(handle)
        )


@pytest.fixture
def world(client: TestClient, settings: Settings) -> World:
    """alex, blake: members of "welcome" (created by fran, a facilitator); mona: moderator;
    ada: admin; sol: a member of nothing."""
    handles = ("alex", "blake", "fran", "mona", "ada", "sol")
    tokens = {h: register(client, h) for h in handles}
    for handle, role in (("fran", "facilitator"), ("mona", "moderator"), ("ada", "admin")):
        set_role(settings, handle, role)
    make_room(settings, "welcome", members=("alex", "blake"))
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with db.session_scope(engine) as s:
        users = {u.handle: u.id for u in s.exec(select(User)).all()}
        room = s.exec(select(Room).where(Room.slug == "welcome")).one()
        room.created_by = users["fran"]
    ids = {h: int(users[h] or 0) for h in handles}
    return World(client, settings, tokens, ids)
