"""Request-level glue: templates, who is asking, CSRF, static URLs, headers."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from community.models import User
from community.security import csrf_matches, new_csrf_token

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@lru_cache(maxsize=256)
def _file_hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    """A cache-busting URL: the content hash changes whenever the file does."""
    return f"/static/{path}?v={_file_hash(path)}"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.globals["static_url"] = static_url
    return templates


class HashedStatic(StaticFiles):
    """Static files; a URL carrying its content hash may be cached for a year."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        query = scope.get("query_string", b"")
        if response.status_code == 200 and query.startswith(b"v="):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers.setdefault("Cache-Control", "public, max-age=300")
        return response


class SecurityHeaders:
    """Strict CSP (no inline script), nosniff, referrer policy, HSTS behind TLS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- who is asking -----------------------------------------------------------


def bearer_token(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def load_user(conn: HTTPConnection, session: Session) -> User | None:
    """The logged-in user from a bearer token or the session cookie, if still valid."""
    state = conn.app.state
    token = bearer_token(conn)
    if token is not None:
        claims = state.tokens.read(token)
        if claims is None:
            return None
        uid, epoch = claims.user_id, claims.epoch
    else:
        uid, epoch = conn.session.get("uid"), conn.session.get("epoch")
        if not isinstance(uid, int):
            return None
    user = session.get(User, uid)
    if user is None or user.session_epoch != epoch or user.banned or user.deleted_at:
        return None
    return user


def client_ip(conn: HTTPConnection) -> str:
    return conn.client.host if conn.client else "unknown"


# --- CSRF --------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = new_csrf_token()
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, form: FormData) -> bool:
    """A form is ours if it carries the session's token, or if the caller is not
    cookie-authenticated at all (a bearer token: no browser adds it cross-site)."""
    if bearer_token(request) is not None:
        return True
    given = form.get("csrf_token")
    return csrf_matches(request.session.get("csrf"), given if isinstance(given, str) else None)


def login_session(request: Request, user: User) -> None:
    """Start a fresh session (rotation: nothing from before login carries over)."""
    request.session.clear()
    request.session.update({"uid": user.id, "epoch": user.session_epoch, "csrf": new_csrf_token()})


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    ctx = {"user": getattr(request.state, "user", None), "csrf_token": csrf_token(request)}
    ctx.update(context)
    response: Response = request.app.state.templates.TemplateResponse(
        request, name, ctx, status_code=status_code
    )
    return response
