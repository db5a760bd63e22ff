"""CSRF protection for every state-changing request, in one place.

Forms must carry the session's `csrf_token`; JSON API calls must either use a
bearer token or send `Content-Type: application/json` (which another site cannot
send with a member's cookie without a CORS preflight, and we allow none). Views
may check again; this middleware makes sure a new route cannot forget.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from community.views.common import bad_csrf
from community.web import bearer_token, csrf_ok

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
MAX_FORM_BYTES = 1_000_000


class CSRFMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if bearer_token(request) is not None:
            # Not cookie-authenticated (load_user prefers the bearer token), and no other
            # site can make a browser add this header without a CORS preflight.
            await self.app(scope, receive, send)
            return
        if scope["path"].startswith("/api/"):
            if not request.headers.get("content-type", "").startswith("application/json"):
                await _refuse(scope, receive, send, "json")
                return
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            await _refuse(scope, receive, send, "too_big")
            return
        replay = _replayer(body)
        form = await Request(scope, replay).form()
        if not csrf_ok(Request(scope, replay), form):
            await _refuse(scope, receive, send, "csrf")
            return
        await self.app(scope, _replayer(body), send)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replayer(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _refuse(scope: Scope, receive: Receive, send: Send, why: str) -> None:
    request = Request(scope, receive)
    response: Response
    if why == "json":
        msg = "Send JSON (Content-Type: application/json) or use a bearer token."
        response = JSONResponse({"error": msg, "code": "bad_request"}, status_code=415)
    elif why == "too_big":
        response = PlainTextResponse("That form is too large.", status_code=413)
    else:
        response = bad_csrf(request)
    await response(scope, receive, send)
