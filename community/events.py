"""Wire events: small JSON objects with a `type` (documented in docs/protocol.md)."""

from __future__ import annotations

import json
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
    }


def ack_event(client_id: str, message_id: int, status: str) -> dict[str, Any]:
    return {"type": "ack", "client_id": client_id, "id": message_id, "status": status}


def error_event(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message, **extra}


def dumps(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)
