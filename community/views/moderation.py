"""The moderator workspace pages: queue, one item, audit log, member page.

Every moderator endpoint asks `access.access_moderate` first (before CSRF, so a
refusal is a 401/403, never a confusing "form expired"). The queries behind these
pages live in `community.moderation_queue`; the POST actions in
`community.views.moderation_actions`; member reports in `community.views.reports`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from community import access
from community.actions.moderation import FLAG_ACTIONS
from community.actions.moderation_base import MUTE_MINUTES, ModerationError
from community.actions.sanctions import MEMBER_ACTIONS
from community.db import run_db
from community.models import User, utcnow
from community.moderation_queue import audit_rows, member_context, queue_item, queue_items
from community.views.common import page_user, refused
from community.web import bearer_token, render

AUDIT_ACTIONS = tuple(dict.fromkeys((*FLAG_ACTIONS, *MEMBER_ACTIONS)))


async def moderator_or_refusal(request: Request) -> User | Response:
    """The moderator asking, or the refusal to answer with."""
    user = await page_user(request)
    decision = access.access_moderate(user)
    if not decision or user is None:
        return refused(request, decision)
    return user


def wants_json(request: Request) -> bool:
    # Unlike views.common (which keys on /api/ paths), workspace URLs serve both
    # browsers and bearer clients, so a bearer token alone asks for JSON.
    return bearer_token(request) is not None or "application/json" in request.headers.get(
        "accept", ""
    )


def action_failed(request: Request, e: ModerationError) -> Response:
    if wants_json(request):
        return JSONResponse({"error": e.message, "code": e.code}, e.status)
    return render(request, "error.html", {"title": "Not done", "message": e.message}, e.status)


async def queue_page(request: Request) -> Response:
    user = await moderator_or_refusal(request)
    if isinstance(user, Response):
        return user
    now = utcnow()
    items = await run_db(request.app.state.engine, lambda s: queue_items(s, now))
    ctx = {"items": items, "notice": request.session.pop("notice", None), **_form_ctx()}
    return render(request, "moderation/queue.html", ctx)


async def item_page(request: Request) -> Response:
    """One queue item; `?fragment=1` answers only its <li> (queue.js inserts it live)."""
    user = await moderator_or_refusal(request)
    if isinstance(user, Response):
        return user
    flag_id: int = request.path_params["flag_id"]
    now = utcnow()
    item = await run_db(request.app.state.engine, lambda s: queue_item(s, flag_id, now))
    if item is None:
        return refused(request, access.Decision(False, "not_found", "No such queue item."))
    fragment = bool(request.query_params.get("fragment"))
    name = "moderation/_item.html" if fragment else "moderation/item.html"
    return render(request, name, {"item": item, **_form_ctx()})


def _form_ctx() -> dict[str, Any]:
    return {"mute_minutes": MUTE_MINUTES, "flag_actions": FLAG_ACTIONS}


async def audit_page(request: Request) -> Response:
    user = await moderator_or_refusal(request)
    if isinstance(user, Response):
        return user
    q = request.query_params
    filters = {k: q.get(k, "").strip() for k in ("moderator", "action", "member")}
    if filters["action"] and filters["action"] not in AUDIT_ACTIONS:
        return action_failed(request, ModerationError("bad_action", "Unknown action filter."))
    who, action, member = filters["moderator"], filters["action"], filters["member"]
    rows = await run_db(
        request.app.state.engine,
        lambda s: audit_rows(s, moderator=who, action=action, member=member),
    )
    ctx = {"rows": rows, "filters": filters, "actions": AUDIT_ACTIONS}
    return render(request, "moderation/audit.html", ctx)


async def member_page(request: Request) -> Response:
    user = await moderator_or_refusal(request)
    if isinstance(user, Response):
        return user
    member_id: int = request.path_params["member_id"]
    ctx = await run_db(request.app.state.engine, lambda s: member_context(s, member_id))
    if ctx is None:
        return refused(request, access.Decision(False, "not_found", "No such member."))
    ctx.update(notice=request.session.pop("notice", None), mute_minutes=MUTE_MINUTES)
    return render(request, "moderation/member.html", ctx)
