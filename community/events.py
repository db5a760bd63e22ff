"""Wire events: small JSON objects with a `type` (documented in docs/protocol.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from community.models import Message


def iso(dt: Any) -> str:
    return str(dt.isoformat().replace("+00:00", "Z"))


def message_event(msg: Message, room_slug: str, author_handle: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": msg.id,
        "client_id": msg.client_id,
        "room": room_slug,
        "author": {"handle": author_handle},
        "text": msg.text,
        "created_at": iso(msg.created_at),
        "seq": msg.room_seq,
    }


def released_event(msg: Message, room_slug: str, author_handle: str) -> dict[str, Any]:
    """A held message made visible: out of the live sequence (its seq is long past),
    so sockets forward it by id alone."""
    return {**message_event(msg, room_slug, author_handle), "released": True}


def ack_event(client_id: str, message_id: int, status: str) -> dict[str, Any]:
    return {"type": "ack", "client_id": client_id, "id": message_id, "status": status}


def error_event(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message, **extra}


def dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Published:
    """What a socket needs to know about a published event, and its ASGI frame."""

    kind: str | None
    msg_id: int | None
    # The room sequence number of a live message; None for anything else, including
    # released messages (delivered by id, out of sequence).
    seq: int | None
    room: str | None
    frame: dict[str, Any]  # {"type": "websocket.send", "text": raw}: shared, never mutated


@lru_cache(maxsize=4096)
def peek(raw: str) -> Published:
    """Parse a published event once per process, not once per socket.

    Every local connection of a room is handed the same string object, whose hash
    Python caches, so only the first connection pays for json.loads; all of them
    then send the same ASGI message dict.
    """
    event = json.loads(raw)
    msg_id = event.get("id")
    seq = event.get("seq")
    in_sequence = isinstance(seq, int) and not event.get("released")
    return Published(
        event.get("type"),
        msg_id if isinstance(msg_id, int) else None,
        seq if in_sequence else None,
        event.get("room"),
        {"type": "websocket.send", "text": raw},
    )
