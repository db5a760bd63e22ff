"""Who hears about a crisis: moderators online, else the room's facilitator; and the
crisis card never claims a moderator was told when none was."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.workspace.conftest import HIGH, IMMINENT, LOW, World, recv_until


def _crisis_card(world: World, who: str, text: str) -> dict[str, Any]:
    with world.client.websocket_connect("/ws/rooms/welcome", headers=world.auth(who)) as ws:
        recv_until(ws, "replayed")
        ws.send_text(json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": text}))
        return recv_until(ws, "crisis_resources")


def test_no_moderator_online_card_is_honest_and_facilitator_is_alerted(world: World) -> None:
    with world.client.websocket_connect("/ws/rooms/welcome", headers=world.auth("fran")) as fran:
        recv_until(fran, "replayed")
        card = _crisis_card(world, "alex", IMMINENT)
        assert card["moderator_notified"] is False
        alert = recv_until(fran, "facilitator_alert")
    assert alert["room"] == "welcome" and alert["severity"] == "imminent"
    assert "text" not in alert  # ids only: the facilitator goes to the room
    assert alert["flag_id"] == world.flag_id_of(alert["message_id"])


def test_moderator_online_is_told_and_card_says_so(world: World) -> None:
    with world.client.websocket_connect("/ws/moderation", headers=world.auth("mona")) as queue:
        recv_until(queue, "hello")
        card = _crisis_card(world, "alex", HIGH)
        flag = recv_until(queue, "flag")
    assert card["moderator_notified"] is True
    assert flag["severity"] == "high" and flag["room"] == "welcome" and flag["cues"]
    # After the moderator left, presence no longer counts them.
    assert _crisis_card(world, "alex", IMMINENT)["moderator_notified"] is False


def test_low_crisis_does_not_page_the_facilitator(world: World) -> None:
    with world.client.websocket_connect("/ws/rooms/welcome", headers=world.auth("fran")) as fran:
        recv_until(fran, "replayed")
        _crisis_card(world, "alex", LOW)
        _crisis_card(world, "alex", HIGH)
        # The first alert fran gets is for the high crisis: the low one raised none.
        assert recv_until(fran, "facilitator_alert")["severity"] == "high"


def test_at_risk_report_alerts_moderators_with_priority(world: World) -> None:
    msg = world.send("alex", "I'm fine, don't worry about me")["id"]
    with world.client.websocket_connect("/ws/moderation", headers=world.auth("ada")) as queue:
        recv_until(queue, "hello")
        r = world.client.post(
            f"/api/messages/{msg}/report", json={"reason": "at_risk"}, headers=world.auth("blake")
        )
        frame = recv_until(queue, "flag")
    assert r.status_code == 201
    assert (frame["source"], frame["priority"], frame["reason"]) == ("report", 2, "at_risk")


def test_at_risk_report_with_nobody_online_alerts_facilitator(world: World) -> None:
    msg = world.send("alex", "goodbye everyone")["id"]
    with world.client.websocket_connect("/ws/rooms/welcome", headers=world.auth("fran")) as fran:
        recv_until(fran, "replayed")
        world.client.post(
            f"/api/messages/{msg}/report", json={"reason": "at_risk"}, headers=world.auth("blake")
        )
        alert = recv_until(fran, "facilitator_alert")
    assert alert["message_id"] == msg and alert["severity"] == "high"


def test_queue_page_live_events_for_claims(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    with world.client.websocket_connect("/ws/moderation", headers=world.auth("ada")) as queue:
        recv_until(queue, "hello")
        assert world.act("mona", flag_id, "claim").status_code == 200
        claimed = recv_until(queue, "claimed")
        assert claimed["flag_id"] == flag_id and claimed["by"] == "mona" and claimed["until"]
        assert world.act("mona", flag_id, "dismiss").status_code == 200
        assert recv_until(queue, "closed")["status"] == "dismissed"
    fragment = world.client.get(
        f"/moderation/flags/{flag_id}?fragment=1", headers=world.auth("ada")
    )
    assert fragment.text.lstrip().startswith("<li") and "Dismissed" in fragment.text
