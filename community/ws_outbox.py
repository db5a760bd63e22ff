"""The sending half of a room socket: ordered writes, straight to the server's send.

A room socket writes every event of its room, so this is the per-delivery path.
Two things keep it cheap: frames go to the ASGI server's own `send` (kept by
`KeepServerSend`), skipping the send wrappers of the session, CSRF and exception
middleware, which act on HTTP responses only; and a batch of frames is written
in one go by the task that owns the stream.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from community.events import dumps

SERVER_SEND = "hearth.server_send"
DEDUP_WINDOW = 4096
Frame = dict[str, Any]


class KeepServerSend:
    """Outermost ASGI middleware: keeps the server's own `send` of websocket scopes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[SERVER_SEND] = send
        await self.app(scope, receive, send)


def text_frame(text: str) -> Frame:
    return {"type": "websocket.send", "text": text}


class Outbox:
    """Writes to one accepted socket, in order, from any of its tasks.

    Also remembers which message ids this socket has had (the last `DEDUP_WINDOW`),
    so a replay overlapping live delivery, or a republished event, is sent once.
    """

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.last_id = 0
        self._server_send: Send | None = ws.scope.get(SERVER_SEND)
        self._sent: set[int] = set()
        self._order: deque[int] = deque()
        self._send_lock = asyncio.Lock()

    async def send(self, event: dict[str, Any]) -> None:
        await self.write([text_frame(dumps(event))])

    async def write(self, frames: list[Frame]) -> None:
        """Send frames in order; WebSocketDisconnect once the socket is closed."""
        if not frames:
            return
        send, ws = self._server_send, self.ws
        if send is None:  # not behind KeepServerSend: Starlette's path, serialised
            async with self._send_lock:
                for frame in frames:
                    await ws.send(frame)
            return
        # No lock here: the ASGI server writes each `send` as one whole frame, and
        # the frames of one stream (a room's events, say) come from one task in order.
        for frame in frames:
            # The one check of Starlette's WebSocket.send that applies here.
            if ws.application_state != WebSocketState.CONNECTED:
                raise WebSocketDisconnect(1006)  # closed by a sibling task
            try:
                await send(frame)
            except OSError:
                ws.application_state = WebSocketState.DISCONNECTED
                raise WebSocketDisconnect(1006) from None

    def mark_sent(self, msg_id: int) -> bool:
        """Record a message id; False if this socket has already had it."""
        sent = self._sent
        if msg_id in sent:
            return False
        sent.add(msg_id)
        order = self._order
        order.append(msg_id)
        if len(order) > DEDUP_WINDOW:
            sent.discard(order.popleft())
        if msg_id > self.last_id:
            self.last_id = msg_id
        return True
