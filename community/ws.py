"""The room websocket: `/ws/rooms/{slug}` (protocol in docs/protocol.md).

One `RoomConnection` per socket. It subscribes before it replays, so a message
published during the replay is queued, then skipped if the replay already sent it:
resume has no gap and no duplicate. Live messages go out in the room's sequence
order whatever order processes publish them in (community/ws_delivery.py). Frames
are handled one at a time per socket.

A little over 300 lines: the socket's tasks share this class's state; its stored-
message half is in ws_delivery.py and its writing half in ws_outbox.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Mapping
from typing import Any

import anyio
from sqlmodel import Session
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from community import access
from community.actions.messages import MessageError, check_client_id
from community.actions.rooms import get_membership, get_room
from community.broker import RESYNC, Event, Subscriber, SubscriberOverflow
from community.broker.channels import room_channel, user_channel
from community.broker.errors import OVERFLOW_CLOSE_CODE
from community.chat import Refused
from community.db import run_db
from community.events import ack_event, dumps, error_event, peek
from community.models import Room, User
from community.web import bearer_token, load_user
from community.ws_delivery import SequencedOutbox
from community.ws_outbox import Frame

log = logging.getLogger("hearth.ws")
NOT_SAVED = "We couldn't save your message. It was not sent; please try again."

CLOSE_TOO_BIG = 1009
CLOSE_UNAUTHORISED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_BANNED = 4003
_CLOSING = frozenset({"banned", "removed_from_room"})


def origin_ok(ws: WebSocket) -> bool:
    """Cookie-authenticated sockets must come from our own pages (CSWSH defence)."""
    origin = ws.headers.get("origin")
    host = ws.headers.get("host")
    if origin is None or host is None:
        return False
    return origin.split("://", 1)[-1] == host


async def refuse_cross_site(ws: WebSocket) -> bool:
    """Refuse a cookie-authenticated handshake from another site; True if refused.

    Call before accept, so the client sees the handshake refused (HTTP 403).
    """
    if bearer_token(ws) is None and not origin_ok(ws):
        await ws.close(CLOSE_FORBIDDEN)
        return True
    return False


async def refuse(ws: WebSocket, decision: access.Decision) -> None:
    """Tell an accepted socket why it is refused, then close it with the matching code."""
    code = {"unauthorised": CLOSE_UNAUTHORISED, "not_found": CLOSE_NOT_FOUND}.get(
        decision.code, CLOSE_FORBIDDEN
    )
    await ws.send_text(dumps(error_event(decision.code, decision.message)))
    await ws.close(code, decision.message[:120])


class RoomConnection(SequencedOutbox):
    def __init__(self, ws: WebSocket, user: User, room: Room) -> None:
        super().__init__(ws, ws.app.state.engine, room)
        self.state = ws.app.state
        self.user = user
        self.conn_id = uuid.uuid4().hex
        self._replayed = asyncio.Event()

    async def pump(self, subscription: Subscriber, *, room_stream: bool) -> None:
        await self._replayed.wait()
        while events := await subscription.batch():
            await self.deliver(events, room_stream=room_stream)

    async def deliver(self, events: list[Event], *, room_stream: bool = True) -> None:
        """Write a batch of published events: room messages once each, in sequence.

        A busy loop hands over several events per wake-up; they go out in one locked
        write. RESYNC, a hole in the sequence and closing events flush what came
        before them first. Only the room stream replays on RESYNC: room messages are
        not on the user stream, and two replays at once could interleave.
        """
        frames: list[Frame] = []
        for event in events:
            if event is RESYNC:
                if room_stream:
                    await self.write(frames)
                    frames = []
                    await self.replay(self.last_id)
                    await self.send({"type": "resynced", "last_id": self.last_id})
                continue
            published = peek(event)
            msg_id = published.msg_id
            if published.kind == "message" and msg_id is not None:
                seq = published.seq
                if seq is not None:
                    if seq < self.next_seq:
                        continue  # sent already, or not visible when its number went by
                    if seq > self.next_seq:
                        await self.write(frames)
                        frames = []
                        await self.fill_to(seq)
                    self.next_seq = seq + 1
                if not self.mark_sent(msg_id):
                    continue
            frames.append(published.frame)
            if published.kind in _CLOSING:
                await self.write(frames)
                frames = []
                await self._closing(published.kind, published.room)
        await self.write(frames)

    async def _closing(self, kind: str | None, room: str | None) -> None:
        if kind == "banned":
            await _close(self, CLOSE_BANNED, "This account has been suspended.")
        elif room == self.room.slug:
            await _close(self, CLOSE_FORBIDDEN, "You were removed from this room.")

    # --- input ------------------------------------------------------------
    async def handle_frame(self, message: Mapping[str, Any]) -> bool:
        """Handle one received frame; False when the socket must close."""
        limit = self.state.settings.max_frame_bytes
        data = message.get("text")
        raw = message.get("bytes")
        size = len(data.encode("utf-8", "surrogatepass")) if data is not None else len(raw or b"")
        if size > limit:
            await self.ws.close(CLOSE_TOO_BIG, f"Frames are limited to {limit} bytes.")
            return False
        if data is None:
            await self.send(error_event("bad_frame", "Send JSON text frames, not binary."))
            return True
        frame = _parse(data)
        if frame is None:
            await self.send(error_event("bad_json", "That frame is not a JSON object."))
            return True
        kind = frame.get("type")
        if kind == "send":
            await self.handle_send(frame)
        elif kind == "ping":
            await self.send({"type": "pong"})
        else:
            await self.send(error_event("unknown_type", "Unknown frame type.", got=str(kind)[:32]))
        return True

    async def handle_send(self, frame: dict[str, Any]) -> None:
        try:
            client_id = check_client_id(frame.get("client_id"))
        except MessageError as e:
            await self.send(error_event(e.code, e.message))
            return
        retry_after = await self.state.rate_limiter.hit(f"send:{self.user.id}")
        if retry_after > 0:
            msg = "You're sending messages quickly. Please wait a moment."
            await self.send(
                error_event(
                    "rate_limited", msg, retry_after=round(retry_after, 2), client_id=client_id
                )
            )
            return
        await self._send_message(client_id, frame.get("text"))

    async def _send_message(self, client_id: str, text: Any) -> None:
        chat = self.state.chat
        try:
            # Shielded (bounded by the model and database timeouts): a socket cancelled
            # mid-store may still commit, and its message must then be announced.
            with anyio.CancelScope(shield=True):
                outcome = await chat.store(self.user, self.room, client_id, text)
        except MessageError as e:
            await self.send(error_event(e.code, e.message, client_id=client_id))
            return
        except Refused as e:
            await self.send(error_event(e.decision.code, e.decision.message, client_id=client_id))
            return
        except Exception as exc:
            # Never log the exception text: it can quote the SQL parameters (the message).
            log.error("send failed (room=%s): %s", self.room.slug, type(exc).__name__)
            await self.send(error_event("unavailable", NOT_SAVED, client_id=client_id))
            return
        # Acknowledged once committed, before the room hears of it; published even if
        # the ack cannot be written (publishing is bounded by publish_timeout).
        try:
            await self.send(ack_event(client_id, outcome.message_id, outcome.status))
        finally:
            with anyio.CancelScope(shield=True):
                outcome = await chat.announce(outcome)
        if outcome.verdict is not None and outcome.verdict.crisis:
            await self.send(self.state.crisis_frame(self.ws, self.user, outcome.moderators_alerted))

    async def pinger(self) -> None:
        interval = self.state.settings.ws_ping_seconds
        while True:
            await asyncio.sleep(interval)
            await self.send({"type": "ping"})


def _parse(data: str) -> dict[str, Any] | None:
    try:
        frame = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return frame if isinstance(frame, dict) else None


async def _authenticate(ws: WebSocket) -> tuple[User | None, Room | None, access.Decision]:
    slug = ws.path_params["slug"]

    def work(session: Session) -> tuple[User | None, Room | None, access.Decision]:
        user = load_user(ws, session)
        room = get_room(session, slug)
        if room is None:
            return user, None, access.Decision(False, "not_found", "This room does not exist.")
        return user, room, access.access_view_room(user, room, get_membership(session, room, user))

    return await run_db(ws.app.state.engine, work)


def _after_param(ws: WebSocket) -> int:
    try:
        return max(0, int(ws.query_params.get("after", "0")))
    except ValueError:
        return 0


async def room_socket(ws: WebSocket) -> None:
    if await refuse_cross_site(ws):
        return
    user, room, decision = await _authenticate(ws)
    await ws.accept()
    if not decision or user is None or room is None:
        await refuse(ws, decision)
        return
    await _serve(RoomConnection(ws, user, room), _after_param(ws))


async def _serve(conn: RoomConnection, after: int) -> None:
    """Run one socket: live pumps, pings and the reader share a task group.

    Whichever ends first (the client leaves, a pump overflows, a send fails) cancels
    the rest; presence is cleaned up shielded, so a cancelled socket leaves no ghost.
    """
    state = conn.state
    assert conn.user.id is not None
    async with (
        state.broker.subscribe(room_channel(conn.room.slug)) as room_sub,
        state.broker.subscribe(user_channel(conn.user.id)) as user_sub,
    ):
        await conn.send({"type": "hello", "room": conn.room.slug, "you": conn.user.handle})
        await state.presence_join(conn)
        try:
            async with anyio.create_task_group() as tg:
                room_pump = conn.pump(room_sub, room_stream=True)
                user_pump = conn.pump(user_sub, room_stream=False)
                for job in (room_pump, user_pump, conn.pinger()):
                    tg.start_soon(_guard, conn, job, tg.cancel_scope)
                tg.start_soon(_guard, conn, _replay_then_read(conn, after), tg.cancel_scope)
        finally:
            with anyio.CancelScope(shield=True):
                await state.presence_leave(conn)


async def _replay_then_read(conn: RoomConnection, after: int) -> None:
    await conn.replay(after)
    conn._replayed.set()
    await conn.send({"type": "replayed", "last_id": conn.last_id})
    while True:
        message = await conn.ws.receive()
        if message["type"] == "websocket.disconnect":
            return
        if not await conn.handle_frame(message):
            return


async def _guard(conn: RoomConnection, job: Awaitable[None], scope: anyio.CancelScope) -> None:
    """Run one part of a socket; when it ends, for whatever reason, end the others."""
    try:
        await job
    except SubscriberOverflow:
        await _close(conn, OVERFLOW_CLOSE_CODE, "Fell behind; reconnect with ?after=<last id>.")
    except (WebSocketDisconnect, OSError):
        pass
    except Exception as exc:
        if conn.ws.application_state == WebSocketState.CONNECTED:
            log.error("room socket task failed: %s", type(exc).__name__)
            await _close(conn, 1011, "Server error; please reconnect.")
    finally:
        scope.cancel()


async def _close(conn: RoomConnection, code: int, reason: str) -> None:
    """Close once, shielded: a sibling task ending the socket must not swallow the frame."""
    if conn.ws.application_state != WebSocketState.CONNECTED:
        return
    with anyio.CancelScope(shield=True), contextlib.suppress(RuntimeError, OSError):
        await conn.ws.close(code, reason)
