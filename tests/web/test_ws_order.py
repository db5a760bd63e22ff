"""Live delivery in sequence order, whatever order the broker delivers in.

Two processes can publish a room's messages 10 and 11 in the order 11, 10 (each
publishes after its own commit). These tests make that happen on purpose: messages
are stored through the send path's own insert, then their events are published to
the app's real broker (memory:// and a real Redis) in the order the test chooses.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from community import db
from community.actions.messages import insert_message
from community.broker.channels import room_channel
from community.events import dumps, message_event, released_event
from community.models import Message, MessageStatus, Room, User
from community.settings import Settings
from tests.conftest import make_client, make_room, recv_until, register


@pytest.fixture(params=["memory", "redis"])
def app_client(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    url = "memory://" if request.param == "memory" else request.getfixturevalue("redis_url")
    with make_client(settings, broker_url=url) as client:
        yield client


@pytest.fixture
def reader(app_client: TestClient, settings: Settings) -> str:
    """blake's token; alex (the author of stored messages) and blake are members."""
    register(app_client, "alex")
    token = register(app_client, "blake")
    make_room(settings, "welcome", members=("alex", "blake"))
    return token


def _connect(client: TestClient, token: str, after: int = 0) -> Any:
    return client.websocket_connect(
        f"/ws/rooms/welcome?after={after}", headers={"Authorization": f"Bearer {token}"}
    )


def _store(settings: Settings, *texts: str, status: str = MessageStatus.VISIBLE) -> list[str]:
    """Store messages by alex through the send path's insert; their events, unpublished."""
    engine = db.make_engine(settings.database_url)
    events = []
    with engine.begin() as conn:
        session = Session(bind=conn)
        room = session.exec(select(Room).where(Room.slug == "welcome")).one()
        alex = session.exec(select(User).where(User.handle_key == "alex")).one()
        assert room.id is not None and alex.id is not None
        for text in texts:
            msg = insert_message(
                conn, room_id=room.id, author_id=alex.id, client_id=str(uuid.uuid4()),
                text=text, status=status,
            )  # fmt: skip
            events.append(dumps(message_event(msg, "welcome", "alex")))
    engine.dispose()
    return events


def _publish(client: TestClient, *events: str) -> None:
    broker = client.app.state.broker  # type: ignore[attr-defined]
    for event in events:
        client.portal.call(broker.publish, room_channel("welcome"), event)  # type: ignore[union-attr]


def _ids(events: list[str]) -> list[int]:
    return [json.loads(e)["id"] for e in events]


def _messages(ws: Any, count: int) -> list[dict[str, Any]]:
    return [recv_until(ws, "message") for _ in range(count)]


def test_reversed_publish_arrives_in_order_once(
    app_client: TestClient, settings: Settings, reader: str
) -> None:
    with _connect(app_client, reader) as ws:
        recv_until(ws, "replayed")
        first, second = _store(settings, "ten", "eleven")
        _publish(app_client, second, first)  # 11 before 10
        (later,) = _store(settings, "twelve")
        _publish(app_client, later)
        got = _messages(ws, 3)
        assert [m["id"] for m in got] == _ids([first, second, later])
        assert [m["seq"] for m in got] == [1, 2, 3]
        assert [m["text"] for m in got] == ["ten", "eleven", "twelve"]


def test_drop_after_the_later_message_then_resume_gets_each_once(
    app_client: TestClient, settings: Settings, reader: str
) -> None:
    """The lost-message bug: the link drops right after 11 arrives, before 10's publish."""
    received: list[int] = []
    with _connect(app_client, reader) as ws:
        recv_until(ws, "replayed")
        first, second = _store(settings, "ten", "eleven")
        _publish(app_client, second)  # 10's publish is late
        received += [m["id"] for m in _messages(ws, 2)]
        assert received == _ids([first, second])
    _publish(app_client, first)  # arrives after the drop
    (third,) = _store(settings, "while away")
    with _connect(app_client, reader, after=received[-1]) as ws:
        while (frame := json.loads(ws.receive_text()))["type"] != "replayed":
            if frame["type"] == "message":
                received.append(frame["id"])
        (fourth,) = _store(settings, "live again")
        _publish(app_client, third, fourth)
        received += [m["id"] for m in _messages(ws, 1)]
    assert received == _ids([first, second, third, fourth])


def test_held_messages_do_not_stall_later_ones(
    app_client: TestClient, settings: Settings, reader: str
) -> None:
    with _connect(app_client, reader) as ws:
        recv_until(ws, "replayed")
        held = _store(settings, "held one", "held two", status=MessageStatus.HELD)
        (visible,) = _store(settings, "after the held ones")
        _publish(app_client, visible)  # the held ones are never published
        assert recv_until(ws, "message")["id"] == _ids([visible])[0]
        _release(settings, _ids(held)[0], app_client)  # released later: by id, not dropped
        got = recv_until(ws, "message")
        assert got["id"] == _ids(held)[0] and got["released"] is True
        (last,) = _store(settings, "and on")
        _publish(app_client, last)
        assert recv_until(ws, "message")["id"] == _ids([last])[0]


def _release(settings: Settings, msg_id: int, client: TestClient) -> None:
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        msg = s.get(Message, msg_id)
        assert msg is not None
        msg.status = MessageStatus.VISIBLE
        event = dumps(released_event(msg, "welcome", "alex"))
    engine.dispose()
    _publish(client, event)


def test_resync_then_late_publish_is_not_repeated(
    app_client: TestClient, settings: Settings, reader: str
) -> None:
    from community.broker._base import _RESYNC_WIRE

    with _connect(app_client, reader) as ws:
        recv_until(ws, "replayed")
        first, second = _store(settings, "during a blip", "also")
        _publish(app_client, _RESYNC_WIRE)  # as after a failed publish somewhere
        got = [m["id"] for m in _messages(ws, 2)]
        assert recv_until(ws, "resynced")["last_id"] == got[-1]
        _publish(app_client, second, first)  # the late publishes of both
        (third,) = _store(settings, "next")
        _publish(app_client, third)
        got += [m["id"] for m in _messages(ws, 1)]
        assert got == _ids([first, second, third])


def test_ack_goes_out_before_the_publish(app_client: TestClient, reader: str) -> None:
    """Acknowledged once committed, not once published: a slow publish (Redis busy)
    must not delay the ack. The real broker's publish is held back here, not replaced."""
    broker = app_client.app.state.broker  # type: ignore[attr-defined]
    publish, gate, published = broker.publish, anyio.Event(), []

    async def held_back(channel: str, payload: str) -> None:
        if '"type":"message"' in payload:
            with anyio.move_on_after(3):
                await gate.wait()
            published.append(payload)
        await publish(channel, payload)

    broker.publish = held_back
    with _connect(app_client, reader) as ws:
        recv_until(ws, "replayed")
        cid = str(uuid.uuid4())
        ws.send_text(json.dumps({"type": "send", "client_id": cid, "text": "hello"}))
        ack = recv_until(ws, "ack")
        assert ack["client_id"] == cid and published == []  # the publish is still waiting
        app_client.portal.call(gate.set)  # type: ignore[union-attr]
        message = recv_until(ws, "message")
        assert message["id"] == ack["id"] and len(published) == 1


def test_a_room_s_sockets_share_one_read_of_a_hole(
    app_client: TestClient, settings: Settings, reader: str
) -> None:
    """A held message leaves a hole every socket sees at once: one query, not one each."""
    from sqlalchemy import event

    holes: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "room_seq >=" in statement:
            holes.append(statement)

    engine = app_client.app.state.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", count)
    try:
        with (
            _connect(app_client, reader) as w1,
            _connect(app_client, reader) as w2,
            _connect(app_client, reader) as w3,
        ):
            for ws in (w1, w2, w3):
                recv_until(ws, "replayed")
            _store(settings, "held", status=MessageStatus.HELD)
            (visible,) = _store(settings, "after it")
            _publish(app_client, visible)
            for ws in (w1, w2, w3):
                assert recv_until(ws, "message")["id"] == _ids([visible])[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(holes) == 1
