"""Helpers shared by the HTML and JSON views."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from community.access import Decision
from community.db import run_db
from community.models import User
from community.web import csrf_ok, load_user, render


async def page_user(request: Request) -> User | None:
    """Load the person asking (cookie or bearer) once per request."""
    if not hasattr(request.state, "user"):

        def work(session: Session) -> User | None:
            return load_user(request, session)

        request.state.user = await run_db(request.app.state.engine, work)
    user: User | None = request.state.user
    return user


async def member_form(request: Request) -> tuple[User, FormData] | Response:
    """The logged-in person and their CSRF-checked form, or the response to send instead."""
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    return user, form


def login_redirect(request: Request) -> Response:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def bad_csrf(request: Request) -> Response:
    msg = "This form expired or came from another site. Please go back, reload and try again."
    return render(request, "error.html", {"title": "Form expired", "message": msg}, 403)


def refused(request: Request, decision: Decision) -> Response:
    """Render an access refusal in the shape the client asked for."""
    status = {"unauthorised": 401, "not_found": 404}.get(decision.code, 403)
    if decision.code == "unauthorised" and not _wants_json(request):
        return login_redirect(request)
    if _wants_json(request):
        return JSONResponse({"error": decision.message, "code": decision.code}, status)
    return render(
        request, "error.html", {"title": "Not allowed", "message": decision.message}, status
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )
