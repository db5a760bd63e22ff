"""Fixtures for the moderator workspace: people in every role, a room, crisis messages.

Everything is real: the app with its lifespan, the moderation pipeline, the memory
broker, a fresh database per test. Helpers talk to the app as clients do.
"""

from __future__ import annotations

import functools
import json
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from community import db
from community.actions.rooms import do_create_room, do_join
from community.models import Flag, User
from community.security import hash_password
from community.settings import Settings
from tests.conftest import PASSWORD, csrf_of, login_browser, recv_until

ORIGIN = {"origin": "http://testserver"}
IMMINENT = "I am going to kill myself tonight, I have the pills ready"
HIGH = "I want to die"
LOW = "I wish I could disappear"
HARMFUL = "you are a worthless idiot, go kill yourself"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    client: TestClient
    settings: Settings
    tokens: dict[str, str]
    ids: dict[str, int]
    browsers: dict[str | None, tuple[TestClient, str]] = field(default_factory=dict)

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

    def flag_id_of(self, message_id: int) -> int:
        flag_id = self.flag_for(message_id).id
        assert flag_id is not None
        return flag_id

    def flag(self, flag_id: int) -> Flag:
        with self.session() as s:
            flag = s.get(Flag, flag_id)
            assert flag is not None
            return flag

    def user(self, handle: str) -> User:
        with self.session() as s:
            return s.exec(select(User).where(User.handle_key == handle)).one()

    def session(self) -> AbstractContextManager[Session]:
        engine = self.client.app.state.engine  # type: ignore[attr-defined]
        return db.session_scope(engine)

    def act(self, handle: str, flag_id: int, action: str, **form: Any) -> Any:
        return self.form_post(handle, f"/moderation/flags/{flag_id}/{action}", **form)

    def form_post(self, handle: str | None, url: str, **form: Any) -> Any:
        """POST a form as a logged-in browser (or a logged-out one), with its CSRF token;
        asks for JSON so refusals and results come back as status codes."""
        browser, token = self._browser(handle)
        headers = {"accept": "application/json"}
        return browser.post(url, data={"csrf_token": token, **form}, headers=headers)

    def _browser(self, handle: str | None) -> tuple[TestClient, str]:
        # Separate cookie jars on the same running app (its lifespan is the fixture's).
        if handle not in self.browsers:
            browser = TestClient(self.client.app, base_url="http://testserver")
            if handle is not None:
                login_browser(browser, handle)
            self.browsers[handle] = (browser, csrf_of(browser, "/login" if handle is None else "/"))
        return self.browsers[handle]


@functools.cache
def _password_hash() -> str:
    # Hashing is deliberately slow: hash the shared test password once per run.
    return hash_password(PASSWORD)


@pytest.fixture
def world(client: TestClient, settings: Settings) -> World:
    """alex, blake: members of "welcome" (created by fran, a facilitator); mona: moderator;
    ada: admin; sol: a member of nothing. All log in with tests.conftest.PASSWORD."""
    roles = {
        "alex": "member",
        "blake": "member",
        "fran": "facilitator",
        "mona": "moderator",
        "ada": "admin",
        "sol": "member",
    }
    state = client.app.state  # type: ignore[attr-defined]
    with db.session_scope(state.engine) as s:
        users = [
            User(
                handle=h,
                handle_key=h,
                password_hash=_password_hash(),
                role=role,
                guidelines_version=settings.guidelines_version,
            )
            for h, role in roles.items()
        ]
        s.add_all(users)
        s.flush()
        ids = {u.handle: int(u.id or 0) for u in users}
        room = do_create_room(s, slug="welcome", name="Welcome", creator=None)
        room.created_by = ids["fran"]
        for handle in ("alex", "blake"):
            do_join(s, room, users[list(roles).index(handle)])
    tokens = {h: state.tokens.issue(uid, 0) for h, uid in ids.items()}
    return World(client, settings, tokens, ids)
