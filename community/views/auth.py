"""Register, log in and out: HTML forms for browsers, JSON for other clients."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from community.actions.accounts import AccountError, Throttled, do_authenticate, do_register
from community.db import run_db
from community.models import User
from community.views.common import bad_csrf, page_user
from community.web import client_ip, csrf_ok, login_session, render


def _settings(request: Request) -> Any:
    return request.app.state.settings


async def _register(request: Request, data: dict[str, Any]) -> User:
    s = _settings(request)
    if await request.app.state.register_limiter.hit(f"register:{client_ip(request)}") > 0:
        raise Throttled("handle", "Too many new accounts from this network. Please try later.")

    def work(session: Session) -> User:
        return do_register(
            session,
            handle=str(data.get("handle", "")),
            password=str(data.get("password", "")),
            accept_guidelines=data.get("accept_guidelines") in (True, "on", "true", "1"),
            age_confirmed=data.get("age_confirmed") in (True, "on", "true", "1"),
            guidelines_version=s.guidelines_version,
            min_age=s.min_age,
        )

    user: User = await run_db(request.app.state.engine, work)
    return user


def _authenticate(request: Request, handle: str, password: str) -> Any:
    limit = _settings(request).login_attempts_per_15min
    ip = client_ip(request)

    def work(session: Session) -> User:
        return do_authenticate(session, handle=handle, password=password, ip=ip, limit=limit)

    return run_db(request.app.state.engine, work)


def _status(e: AccountError) -> int:
    if isinstance(e, Throttled):
        return 429
    return 409 if "taken" in e.message else 400


async def register_page(request: Request) -> Response:
    await page_user(request)
    if request.method == "GET":
        return render(request, "register.html", {"errors": {}, "form": {}})
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    data = {k: form.get(k) for k in ("handle", "password", "accept_guidelines", "age_confirmed")}
    try:
        user = await _register(request, data)
    except AccountError as e:
        ctx = {"errors": {e.field: e.message}, "form": {"handle": data.get("handle") or ""}}
        return render(request, "register.html", ctx, status_code=_status(e))
    login_session(request, user)
    return RedirectResponse("/", status_code=303)


async def login_page(request: Request) -> Response:
    await page_user(request)
    if request.method == "GET":
        return render(request, "login.html", {"error": None, "handle": ""})
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    handle, password = str(form.get("handle", "")), str(form.get("password", ""))
    try:
        user = await _authenticate(request, handle, password)
    except AccountError as e:
        status = 429 if isinstance(e, Throttled) else 400
        ctx = {"error": e.message, "handle": handle}
        return render(request, "login.html", ctx, status_code=status)
    login_session(request, user)
    nxt = str(form.get("next", "/"))
    return RedirectResponse(nxt if nxt.startswith("/") and not nxt.startswith("//") else "/", 303)


async def logout(request: Request) -> Response:
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    request.session.clear()
    return RedirectResponse("/", status_code=303)


async def _json_body(request: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _json_error(field: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message, "field": field}, status_code=status)


async def api_register(request: Request) -> Response:
    data = await _json_body(request)
    if data is None:
        return _json_error("body", "Send a JSON object.", 400)
    try:
        user = await _register(request, data)
    except AccountError as e:
        return _json_error(e.field, e.message, _status(e))
    token = request.app.state.tokens.issue(user.id, user.session_epoch)
    return JSONResponse({"token": token, "handle": user.handle}, status_code=201)


async def api_token(request: Request) -> Response:
    data = await _json_body(request)
    if data is None:
        return _json_error("body", "Send a JSON object.", 400)
    try:
        user = await _authenticate(
            request, str(data.get("handle", "")), str(data.get("password", ""))
        )
    except Throttled as e:
        return _json_error(e.field, e.message, 429)
    except AccountError as e:
        return _json_error(e.field, e.message, 401)
    return JSONResponse({"token": request.app.state.tokens.issue(user.id, user.session_epoch)})
