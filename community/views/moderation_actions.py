"""The moderator workspace's POST actions: on a queue item, or on a member.

Each asks `access.access_moderate` first (before CSRF, so a refusal is a 401/403,
never a confusing "form expired"), writes through `community.actions`, then
publishes after the commit. Browsers are redirected back with a notice; bearer
and JSON clients get `{"ok", "notice", "flag_id"}`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from community.actions.moderation import do_flag_action
from community.actions.moderation_base import (
    ActionInput,
    Done,
    ModerationError,
    Publish,
    check_input,
)
from community.actions.sanctions import do_member_action
from community.db import run_db
from community.events import dumps
from community.models import User, utcnow
from community.views.common import bad_csrf
from community.views.moderation import action_failed, moderator_or_refusal, wants_json
from community.web import csrf_ok

# Given the checked input, the write to run in one transaction.
Work = Callable[[ActionInput], Callable[[Session], Done]]


async def flag_action(request: Request) -> Response:
    """POST /moderation/flags/{id}/{action}: claim, release, remove, ..., dismiss."""
    checked = await _moderator_form(request)
    if isinstance(checked, Response):
        return checked
    user, form = checked
    flag_id: int = request.path_params["flag_id"]
    action: str = request.path_params["action"]
    minutes = request.app.state.settings.claim_minutes

    def work(inp: ActionInput) -> Callable[[Session], Done]:
        return lambda s: do_flag_action(
            s,
            flag_id=flag_id,
            actor=user,
            action=action,
            inp=inp,
            now=utcnow(),
            claim_minutes=minutes,
        )

    return await _act(request, form, work, f"/moderation#f{flag_id}")


async def member_action(request: Request) -> Response:
    """POST /moderation/members/{id}/{action}: note, check-in, warning, mute, ban."""
    checked = await _moderator_form(request)
    if isinstance(checked, Response):
        return checked
    user, form = checked
    member_id: int = request.path_params["member_id"]
    action: str = request.path_params["action"]

    def work(inp: ActionInput) -> Callable[[Session], Done]:
        return lambda s: do_member_action(
            s, subject_id=member_id, actor=user, action=action, inp=inp, now=utcnow()
        )

    return await _act(request, form, work, f"/moderation/members/{member_id}")


async def _moderator_form(request: Request) -> tuple[User, FormData] | Response:
    """The moderator and their form, or the refusal (access first, then CSRF)."""
    user = await moderator_or_refusal(request)
    if isinstance(user, Response):
        return user
    form = await request.form()
    if not _csrf(request, form):
        return bad_csrf(request)
    return user, form


async def _act(request: Request, form: FormData, work: Work, back: str) -> Response:
    """Check the form, run the write, publish after the commit, answer."""
    try:
        inp = check_input(form)
        done = await run_db(request.app.state.engine, work(inp))
    except ModerationError as e:
        return action_failed(request, e)
    await _publish(request, done.events)
    return _done(request, done, back)


def _csrf(request: Request, form: FormData) -> bool:
    # community.csrf's middleware checks too; checked here as well so the workspace stays
    # safe if that middleware's rules change (it is the one place a ban can be forged).
    return csrf_ok(request, form)


def _done(request: Request, done: Done, back: str) -> Response:
    if wants_json(request):
        flag = done.flag
        return JSONResponse(
            {"ok": True, "notice": done.notice, "flag_id": flag.id if flag else None}
        )
    request.session["notice"] = done.notice
    return RedirectResponse(back, status_code=303)


async def _publish(request: Request, events: list[Publish]) -> None:
    chat = request.app.state.chat
    for event in events:
        await chat.publish(event.channel, dumps(event.payload))
