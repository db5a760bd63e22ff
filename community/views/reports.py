"""Member reports over HTTP: the no-JavaScript report form and the JSON endpoint.

A new report is published to moderators after the commit; an "at risk" report with
no moderator online alerts the room's facilitator instead, as a crisis flag does.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from community import access
from community.actions.moderation_base import ModerationError
from community.actions.reports import (
    MESSAGE_MISSING,
    REPORT_REASONS,
    check_report,
    do_report,
    report_event,
    reportable,
)
from community.broker.channels import moderators_channel
from community.db import run_db
from community.events import dumps
from community.models import User
from community.views.common import bad_csrf, login_redirect, page_user, refused
from community.web import csrf_ok, render
from community.ws_moderators import alert_facilitator


async def report_page(request: Request) -> Response:
    """GET/POST /rooms/{slug}/messages/{id}/report: the no-JavaScript report form."""
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    slug: str = request.path_params["slug"]
    message_id: int = request.path_params["message_id"]
    found = await run_db(request.app.state.engine, lambda s: reportable(s, message_id, user))
    if isinstance(found, access.Decision) or found[1].slug != slug:
        return refused(request, found if isinstance(found, access.Decision) else MESSAGE_MISSING)
    msg, room = found
    ctx = {"message": msg, "room": room, "reasons": REPORT_REASONS, "error": None}
    if request.method == "GET":
        return render(request, "moderation/report.html", ctx)
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    result = await _file_report(request, user, message_id, form.get("reason"), form.get("note"))
    if isinstance(result, ModerationError):
        ctx["error"] = result.message
        return render(request, "moderation/report.html", ctx, result.status)
    request.session["notice"] = "Thank you. A moderator will look at this message."
    return RedirectResponse(f"/rooms/{slug}", status_code=303)


async def api_report(request: Request) -> Response:
    """POST /api/messages/{id}/report {"reason": ..., "note": ...} → 201 {"flag_id": ...}."""
    user = await page_user(request)
    if user is None:
        return refused(request, access.Decision(False, "unauthorised", "Please log in."))
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"error": "Send a JSON object.", "code": "bad_json"}, 400)
    message_id: int = request.path_params["message_id"]
    result = await _file_report(request, user, message_id, body.get("reason"), body.get("note"))
    if isinstance(result, ModerationError):
        return JSONResponse({"error": result.message, "code": result.code}, result.status)
    flag_id, created = result
    return JSONResponse({"flag_id": flag_id, "created": created}, 201 if created else 200)


async def _file_report(
    request: Request, user: User, message_id: int, reason: object, note: object
) -> tuple[int, bool] | ModerationError:
    state = request.app.state
    try:
        why, text = check_report(reason, note)
    except ModerationError as e:
        return e
    if await state.rate_limiter.hit(f"report:{user.id}") > 0:
        return ModerationError(
            "rate_limited", "You're reporting quickly. Please wait a moment.", 429
        )
    try:
        flag, room, created = await run_db(
            state.engine,
            lambda s: do_report(s, message_id=message_id, reporter=user, reason=why, note=text),
        )
    except ModerationError as e:
        return e
    assert flag.id is not None
    if created:
        await state.chat.publish(moderators_channel(), dumps(report_event(flag, room)))
        if flag.priority >= 2 and not await _moderators_online(state):
            await alert_facilitator(
                state.chat, room, flag_id=flag.id, severity=flag.severity, message_id=message_id
            )
    return flag.id, created


async def _moderators_online(state: Any) -> int:
    online = state.chat.moderators_online
    return int(await online()) if online else 0
