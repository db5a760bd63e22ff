"""The moderators' live queue socket `/ws/moderation`, and who hears a crisis.

A moderator's open queue page holds this socket. It joins the `MODERATORS_ROOM`
presence room, which is how `ChatService` knows whether anyone was told about a
crisis (and so what the crisis card may promise). It forwards every event on the
moderators' channel: pipeline and report `flag`s, and queue changes (`claimed`,
`closed`). When a high or imminent crisis is raised with no moderator online, the
room's facilitator is alerted instead (`WorkspaceChat`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

from sqlmodel import Session
from starlette.websockets import WebSocket, WebSocketDisconnect

from community import access
from community.broker import RESYNC, SubscriberOverflow
from community.broker.channels import moderators_channel, user_channel
from community.broker.errors import OVERFLOW_CLOSE_CODE
from community.chat import ChatService, SendOutcome
from community.db import run_db
from community.events import dumps
from community.models import Role, Room, User
from community.web import load_user
from community.ws import CLOSE_BANNED, refuse, refuse_cross_site

log = logging.getLogger("hearth.ws.moderation")

ALERT_PRIORITY = 2  # high and imminent
SEVERITY_PRIORITY = {"imminent": 3, "high": 2, "low": 1}
FACILITATOR_ROLES = {Role.FACILITATOR, Role.ADMIN}


# --- crisis with nobody watching ---------------------------------------------------


async def alert_facilitator(
    chat: ChatService, room: Room, *, flag_id: int, severity: str, message_id: int | None
) -> bool:
    """Tell the room's facilitator (its creator, if still a facilitator or admin).

    Returns whether anyone was told. Carries ids only: the message text stays on the
    server, the facilitator goes to the room.
    """
    creator_id = room.created_by
    if creator_id is None:
        return False
    creator = await run_db(chat.engine, lambda s: s.get(User, creator_id))
    if creator is None or creator.role not in FACILITATOR_ROLES or not access.is_active(creator):
        return False
    event = {
        "type": "facilitator_alert",
        "room": room.slug,
        "flag_id": flag_id,
        "severity": severity,
        "message_id": message_id,
    }
    await chat.publish(user_channel(creator_id), dumps(event))
    return True


class WorkspaceChat(ChatService):
    """ChatService plus the facilitator fallback when no moderator is online."""

    async def announce(self, outcome: SendOutcome) -> SendOutcome:
        room = outcome.pending.room if outcome.pending else None
        outcome = await super().announce(outcome)
        verdict = outcome.verdict
        if (
            room is not None
            and outcome.created
            and outcome.flag_id is not None
            and verdict is not None
            and SEVERITY_PRIORITY.get(verdict.severity.value, 0) >= ALERT_PRIORITY
            and not outcome.moderators_alerted
        ):
            try:
                await alert_facilitator(
                    self,
                    room,
                    flag_id=outcome.flag_id,
                    severity=verdict.severity.value,
                    message_id=outcome.message_id,
                )
            except Exception as exc:  # the message is stored; never fail the send for this
                log.error("facilitator alert failed (%s)", type(exc).__name__)
        return outcome


# --- the socket ----------------------------------------------------------------------


async def moderators_socket(ws: WebSocket) -> None:
    if await refuse_cross_site(ws):
        return

    def work(session: Session) -> User | None:
        return load_user(ws, session)

    user = await run_db(ws.app.state.engine, work)
    decision = access.access_moderate(user)
    await ws.accept()
    if not decision or user is None:
        await refuse(ws, decision)
        return
    await _serve(ws, user)


async def _serve(ws: WebSocket, user: User) -> None:
    state = ws.app.state
    from community.services import MODERATORS_ROOM

    assert user.id is not None
    conn_id = uuid.uuid4().hex
    async with (
        state.broker.subscribe(moderators_channel()) as queue_sub,
        state.broker.subscribe(user_channel(user.id)) as own_sub,
    ):
        # Join before hello: once a client sees hello, crises count it as online.
        await state.presence.join(MODERATORS_ROOM, conn_id, user.handle)
        tasks = [
            asyncio.create_task(_pump(ws, queue_sub)),
            asyncio.create_task(_pump(ws, own_sub)),
            asyncio.create_task(_ping(ws, state.settings.ws_ping_seconds)),
            asyncio.create_task(_read(ws)),
        ]
        try:
            await ws.send_text(dumps({"type": "hello", "you": user.handle}))
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            await _close_for(ws, done)
        finally:
            for task in tasks:
                task.cancel()
            try:
                # wait(), not gather(): a cancelled gather re-raises a CancelledError of
                # its own, which the ASGI server's cancel scope then fails to recognise.
                await asyncio.wait(tasks)
            finally:
                await state.presence.leave(MODERATORS_ROOM, conn_id)


async def _pump(ws: WebSocket, subscription: Any) -> None:
    async for event in subscription:
        if event is RESYNC:
            # Flags may have been published while the broker was down: reload the queue.
            await ws.send_text(dumps({"type": "resynced"}))
            continue
        if json.loads(event).get("type") == "banned":
            await ws.close(CLOSE_BANNED, "This account has been suspended.")
            return
        await ws.send_text(event)


async def _ping(ws: WebSocket, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        await ws.send_text(dumps({"type": "ping"}))


async def _read(ws: WebSocket) -> None:
    """Moderators only listen here (actions are HTTP posts); answer pings, drop the rest."""
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") and '"ping"' in message["text"]:
            await ws.send_text(dumps({"type": "pong"}))


async def _close_for(ws: WebSocket, done: set[asyncio.Task[None]]) -> None:
    for task in done:
        exc = task.exception()
        if exc is None or isinstance(exc, WebSocketDisconnect | asyncio.CancelledError):
            continue
        if isinstance(exc, SubscriberOverflow):
            await ws.close(OVERFLOW_CLOSE_CODE, "Fell behind; reload the queue.")
        else:
            log.error("moderator socket task failed: %s", type(exc).__name__)
            await ws.close(1011, "Server error; please reconnect.")
        return
