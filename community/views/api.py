"""JSON endpoints: history for clients that cannot hold a websocket, and health."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from community import access
from community.actions.messages import history
from community.actions.rooms import get_membership, get_room
from community.db import ping, run_db
from community.events import message_event
from community.views.common import page_user, refused


def _int_param(request: Request, name: str, default: int, lo: int, hi: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if lo <= value <= hi else None


async def room_messages(request: Request) -> Response:
    user = await page_user(request)
    if user is None:
        return refused(request, access.Decision(False, "unauthorised", "Please log in."))
    cap = request.app.state.settings.history_page_max
    after = _int_param(request, "after", 0, 0, 2**62)
    limit = _int_param(request, "limit", 50, 1, cap)
    if after is None or limit is None:
        msg = f"after must be a non-negative integer and limit 1-{cap}."
        return JSONResponse({"error": msg, "code": "bad_request"}, status_code=400)
    slug = request.path_params["slug"]

    def work(session: Session) -> dict[str, Any] | access.Decision:
        room = get_room(session, slug)
        if room is None:
            return access.Decision(False, "not_found", "This room does not exist.")
        decision = access.access_view_room(user, room, get_membership(session, room, user))
        if not decision:
            return decision
        rows = history(session, room, after=after, limit=limit)
        return {
            "messages": [message_event(m, slug, h) for m, h in rows],
            "more": len(rows) == limit,
        }

    result = await run_db(request.app.state.engine, work)
    if isinstance(result, access.Decision):
        return refused(request, result)
    return JSONResponse(result)


async def healthz(request: Request) -> Response:
    state = request.app.state
    db_ok = await run_db_ping(state.engine)
    broker = state.broker.status()
    model = state.pipeline.status()
    ok = db_ok and bool(broker.get("connected", True))
    body = {
        "status": "ok" if ok else "degraded",
        "database": {"ok": db_ok},
        "broker": broker,
        "moderation": model,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


async def run_db_ping(engine: Any) -> bool:
    return await asyncio.to_thread(ping, engine)
