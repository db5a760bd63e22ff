"""Server-rendered pages: usable with no JavaScript at all."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from community import access
from community.actions.messages import MessageError, history
from community.actions.rooms import RoomError, do_create_room, do_join, get_membership, get_room
from community.actions.rooms import rooms_for as list_rooms
from community.chat import Refused
from community.crisis import help_context
from community.db import run_db
from community.models import Room, RoomKind, User, utcnow
from community.views.common import bad_csrf, login_redirect, member_form, page_user, refused
from community.web import csrf_ok, render

RECENT = 50


async def home(request: Request) -> Response:
    user = await page_user(request)
    rooms = await run_db(request.app.state.engine, lambda s: list_rooms(s, user))
    can_create = bool(access.access_create_room(user))
    return render(request, "index.html", {"rooms": rooms, "can_create": can_create, "errors": {}})


async def guidelines(request: Request) -> Response:
    await page_user(request)
    return render(
        request, "guidelines.html", {"version": request.app.state.settings.guidelines_version}
    )


async def help_page(request: Request) -> Response:
    user = await page_user(request)
    crisis = request.app.state.crisis
    country = crisis.country_for(
        user.country if user else None, request.headers.get("accept-language")
    )
    return render(request, "help.html", help_context(crisis.directory, country))


def _room_context(session: Session, slug: str, user: User | None) -> dict[str, Any] | None:
    room = get_room(session, slug)
    if room is None:
        return None
    membership = get_membership(session, room, user)
    seen = access.access_view_room(user, room, membership)
    ctx: dict[str, Any] = {"room": room, "membership": membership, "decision": seen}
    if seen:
        rows = history(session, room, after=0, limit=100_000)[-RECENT:]
        ctx["messages"] = rows
        ctx["can_post"] = access.access_post(user, room, membership, utcnow())
    return ctx


async def room_page(request: Request) -> Response:
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    slug = request.path_params["slug"]
    ctx = await run_db(request.app.state.engine, lambda s: _room_context(s, slug, user))
    if ctx is None:
        return refused(request, access.Decision(False, "not_found", "This room does not exist."))
    if not ctx["decision"]:
        return refused(request, ctx["decision"])
    ctx["notice"] = request.session.pop("notice", None)
    card = request.session.pop("crisis_card", None)
    if isinstance(card, dict):
        crisis = request.app.state.crisis
        country = crisis.country_for(user.country, request.headers.get("accept-language"))
        ctx["card"] = {
            "resources": crisis.directory.for_country(country),
            "notified": bool(card.get("notified")),
        }
    ctx["client_id"] = str(uuid.uuid4())
    ctx["last_id"] = ctx["messages"][-1][0].id if ctx["messages"] else 0
    return render(request, "room.html", ctx)


async def join_room(request: Request) -> Response:
    user = await page_user(request)
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    slug = request.path_params["slug"]
    code = str(form.get("invite_code", "")) or None

    def work(session: Session) -> access.Decision:
        room = get_room(session, slug)
        if room is None:
            return access.Decision(False, "not_found", "This room does not exist.")
        decision = access.access_join_room(user, room, code)
        if decision and user is not None:
            do_join(session, room, user)
        return decision

    decision = await run_db(request.app.state.engine, work)
    if not decision:
        return refused(request, decision)
    return RedirectResponse(f"/rooms/{slug}", status_code=303)


async def post_message(request: Request) -> Response:
    """The no-JavaScript send: same path as the websocket, then back to the room."""
    checked = await member_form(request)
    if isinstance(checked, Response):
        return checked
    user, form = checked
    slug = request.path_params["slug"]
    ctx = await run_db(request.app.state.engine, lambda s: _room_context(s, slug, user))
    if ctx is None or not ctx["decision"]:
        return refused(request, ctx["decision"] if ctx else access.Decision(False, "not_found", ""))
    if not ctx["can_post"]:
        return refused(request, ctx["can_post"])
    room: Room = ctx["room"]
    client_id = str(form.get("client_id") or uuid.uuid4())
    try:
        outcome = await request.app.state.chat.send(
            user, room, client_id, str(form.get("text", ""))
        )
    except MessageError as e:
        request.session["notice"] = e.message
        return RedirectResponse(f"/rooms/{slug}#compose", status_code=303)
    except Refused as e:
        return refused(request, e.decision)
    if outcome.status == "held":
        request.session["notice"] = "Your message is held for review by a moderator."
    if outcome.verdict is not None and outcome.verdict.crisis:
        request.session["crisis_card"] = {"notified": outcome.moderators_alerted}
    return RedirectResponse(f"/rooms/{slug}#compose", status_code=303)


async def create_room(request: Request) -> Response:
    user = await page_user(request)
    decision = access.access_create_room(user)
    if not decision:
        return refused(request, decision)
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    kind = RoomKind.PRIVATE if form.get("kind") == "private" else RoomKind.PUBLIC

    def work(session: Session) -> Room:
        return do_create_room(
            session,
            slug=str(form.get("slug", "")).strip(),
            name=str(form.get("name", "")),
            description=str(form.get("description", "")),
            kind=kind,
            creator=user,
        )

    try:
        room = await run_db(request.app.state.engine, work)
    except RoomError as e:
        rooms = await run_db(request.app.state.engine, lambda s: list_rooms(s, user))
        ctx = {"rooms": rooms, "can_create": True, "errors": {e.field: e.message}}
        return render(request, "index.html", ctx, status_code=400)
    return RedirectResponse(f"/rooms/{room.slug}", status_code=303)
