"""Crisis in a live room: the author alone gets the card, for their country; a flag is raised."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.testclient import TestClient

from community.settings import Settings
from tests.conftest import make_room, register


def _frames(ws: Any, until: str) -> list[dict[str, Any]]:
    out = []
    while True:
        frame = json.loads(ws.receive_text())
        out.append(frame)
        if frame["type"] == until:
            return out


def test_card_only_to_author_with_local_numbers(client: TestClient, settings: Settings) -> None:
    ta, tb = register(client, "alex"), register(client, "blake")
    make_room(settings, "welcome", members=("alex", "blake"))
    uk = {"Authorization": f"Bearer {ta}", "Accept-Language": "en-GB,en;q=0.8"}
    with (
        client.websocket_connect("/ws/rooms/welcome", headers=uk) as wa,
        client.websocket_connect(
            "/ws/rooms/welcome", headers={"Authorization": f"Bearer {tb}"}
        ) as wb,
    ):
        _frames(wa, "replayed")
        _frames(wb, "replayed")
        wa.send_text(
            json.dumps(
                {
                    "type": "send",
                    "client_id": str(uuid.uuid4()),
                    "text": "I have the pills ready, tonight is the night",
                }
            )
        )
        got = _frames(wa, "crisis_resources")
        ack = next(f for f in got if f["type"] == "ack")
        assert ack["status"] == "delivered"  # crisis is delivered, never silently dropped
        card = got[-1]
        assert card["country"] == "GB" and "999" in card["body"]
        assert any(
            "116 123" in c["label"] or "116123" in c["href"]
            for s in card["services"]
            for c in s["contacts"]
        )
        assert card["moderator_notified"] is False  # no moderator online: never claimed
        other = _frames(wb, "message")
        assert other[-1]["text"].startswith("I have the pills ready")
        wb.send_text(json.dumps({"type": "ping"}))
        assert all(f["type"] != "crisis_resources" for f in _frames(wb, "pong"))


def test_crisis_card_without_javascript(client: TestClient, settings: Settings) -> None:
    from tests.conftest import csrf_of, login_browser

    register(client, "alex")
    make_room(settings, "welcome", members=("alex",))
    login_browser(client, "alex")
    csrf = csrf_of(client, "/rooms/welcome")
    r = client.post(
        "/rooms/welcome/messages",
        headers={"Accept-Language": "en-AU"},
        data={"csrf_token": csrf, "text": "i want to kill myself"},
    )
    assert r.status_code == 200
    assert "000" in r.text and "13 11 14" in r.text and "tel:" in r.text
    assert "not an emergency service" in r.text
    again = client.get("/rooms/welcome")
    assert "13 11 14" not in again.text  # shown once, after that message


def test_retried_crisis_message_shows_the_card_again(
    client: TestClient, settings: Settings
) -> None:
    token = register(client, "alex")
    make_room(settings, "welcome", members=("alex",))
    frame = json.dumps(
        {"type": "send", "client_id": str(uuid.uuid4()), "text": "i want to kill myself"}
    )
    headers = {"Authorization": f"Bearer {token}"}
    # The first connection drops before the person sees anything; the client retries.
    with client.websocket_connect("/ws/rooms/welcome", headers=headers) as ws:
        _frames(ws, "replayed")
        ws.send_text(frame)
        first = _frames(ws, "crisis_resources")
    with client.websocket_connect("/ws/rooms/welcome", headers=headers) as ws:
        _frames(ws, "replayed")
        ws.send_text(frame)
        again = _frames(ws, "crisis_resources")
    ack1 = next(f for f in first if f["type"] == "ack")
    ack2 = next(f for f in again if f["type"] == "ack")
    assert ack1["id"] == ack2["id"]  # still one message
    assert again[-1]["moderator_notified"] is False  # a retry never claims a moderator
