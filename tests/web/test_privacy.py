"""Data export, account deletion with a grace period, room retention, no text in logs."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from community import db
from community.models import Message, Room, User, utcnow
from community.privacy import run_privacy_jobs
from community.settings import Settings
from tests.conftest import PASSWORD, csrf_of, login_browser, make_room, register


def _send(client: TestClient, token: str, text: str) -> int:
    with client.websocket_connect(
        "/ws/rooms/welcome", headers={"Authorization": f"Bearer {token}"}
    ) as ws:
        ws.send_text(json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": text}))
        while True:
            f = json.loads(ws.receive_text())
            if f["type"] == "ack":
                return int(f["id"])


def test_export_contains_my_messages_only(client: TestClient, settings: Settings) -> None:
    ta, tb = register(client, "alex"), register(client, "blake")
    make_room(settings, "welcome", members=("alex", "blake"))
    _send(client, ta, "my own words")
    _send(client, tb, "someone else's words")
    login_browser(client, "alex")
    r = client.get("/account/export.json")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["profile"]["handle"] == "alex"
    assert [m["text"] for m in data["messages"]] == ["my own words"]
    assert data["rooms"][0]["room"] == "welcome"


def test_export_requires_login(client: TestClient) -> None:
    r = client.get("/account/export.json", follow_redirects=False)
    assert r.status_code == 303


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_delete_account_after_grace(settings: Settings, mode: str) -> None:
    from tests.conftest import make_client

    with make_client(settings, deleted_messages=mode) as client:
        ta = register(client, "alex")
        make_room(settings, "welcome", members=("alex",))
        mid = _send(client, ta, "words to keep or drop")
        login_browser(client, "alex")
        csrf = csrf_of(client, "/account")
        r = client.post("/account/delete", data={"csrf_token": csrf, "password": "wrong one!!"})
        assert r.status_code == 400
        r = client.post("/account/delete", data={"csrf_token": csrf, "password": PASSWORD})
        assert r.status_code == 200 and "7 days" in r.text
        # The old token stops working at once (logged out everywhere).
        r = client.get("/api/rooms/welcome/messages", headers={"Authorization": f"Bearer {ta}"})
        assert r.status_code == 401
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        early = run_privacy_jobs(s, utcnow() + timedelta(days=6), timedelta(days=7), mode)
        assert early["accounts_deleted"] == 0
        late = run_privacy_jobs(s, utcnow() + timedelta(days=8), timedelta(days=7), mode)
        assert late["accounts_deleted"] == 1
    with db.session_scope(engine) as s:
        user = s.exec(select(User).where(User.deleted_at.is_not(None))).one()  # type: ignore[union-attr]
        assert user.handle.startswith("deleted-") and user.password_hash == "!"
        msg = s.get(Message, mid)
        assert msg is not None and msg.author_id is None
        assert (msg.text == "") == (mode == "remove")


def test_login_cancels_deletion(client: TestClient, settings: Settings) -> None:
    register(client, "alex")
    login_browser(client, "alex")
    csrf = csrf_of(client, "/account")
    client.post("/account/delete", data={"csrf_token": csrf, "password": PASSWORD})
    login_browser(client, "alex")
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        result = run_privacy_jobs(s, utcnow() + timedelta(days=30), timedelta(days=7), "anonymise")
    assert result["accounts_deleted"] == 0


def test_room_retention_deletes_old_messages(client: TestClient, settings: Settings) -> None:
    ta = register(client, "alex")
    make_room(settings, "welcome", members=("alex",))
    _send(client, ta, "old news")
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        room = s.exec(select(Room).where(Room.slug == "welcome")).one()
        room.retention_days = 30
    with db.session_scope(engine) as s:
        assert (
            run_privacy_jobs(s, utcnow() + timedelta(days=29), timedelta(days=7), "anonymise")[
                "messages_expired"
            ]
            == 0
        )
        assert (
            run_privacy_jobs(s, utcnow() + timedelta(days=31), timedelta(days=7), "anonymise")[
                "messages_expired"
            ]
            == 1
        )


def test_profile_validation(client: TestClient) -> None:
    register(client, "alex")
    login_browser(client, "alex")
    csrf = csrf_of(client, "/account")
    r = client.post("/account/profile", data={"csrf_token": csrf, "country": "GBR", "timezone": ""})
    assert r.status_code == 400 and "two-letter" in r.text
    r = client.post(
        "/account/profile", data={"csrf_token": csrf, "country": "", "timezone": "Mars/Base"}
    )
    assert r.status_code == 400 and "time zone" in r.text
    r = client.post(
        "/account/profile",
        data={"csrf_token": csrf, "country": "gb", "timezone": "Europe/London"},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_no_message_text_passwords_or_tokens_in_logs(
    client: TestClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_text = "I have the pills ready tonight zq9x"
    token = register(client, "alex")
    make_room(settings, "welcome", members=("alex",))
    _send(client, token, secret_text)
    client.post("/api/auth/token", json={"handle": "alex", "password": "wrong password zq9x"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for needle in ("zq9x", PASSWORD, token):
        assert needle not in logged
