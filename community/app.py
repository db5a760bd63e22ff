"""The Starlette application: explicit routes and middleware, nothing registered by magic."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute

from community.csrf import CSRFMiddleware
from community.services import lifespan
from community.settings import Settings, load_settings
from community.views import account, api, auth, meeting_controls, meetings, pages, reports
from community.views import moderation as mod
from community.views import moderation_actions as mod_actions
from community.web import STATIC_DIR, HashedStatic, SecurityHeaders, render
from community.ws import room_socket
from community.ws_moderators import moderators_socket
from community.ws_outbox import KeepServerSend

SESSION_COOKIE = "hearth_session"


def routes() -> list[Route | Mount | WebSocketRoute]:
    return [
        Route("/", pages.home, name="home"),
        Route("/guidelines", pages.guidelines),
        Route("/help", pages.help_page),
        Route("/register", auth.register_page, methods=["GET", "POST"]),
        Route("/login", auth.login_page, methods=["GET", "POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/rooms", pages.create_room, methods=["POST"]),
        Route("/rooms/{slug}", pages.room_page),
        Route("/rooms/{slug}/join", pages.join_room, methods=["POST"]),
        Route("/rooms/{slug}/messages", pages.post_message, methods=["POST"]),
        Route("/account", account.account_page),
        Route("/account/profile", account.update_profile, methods=["POST"]),
        Route("/account/export.json", account.export_data),
        Route("/account/delete", account.delete_account, methods=["POST"]),
        Route("/api/auth/register", auth.api_register, methods=["POST"]),
        Route("/api/auth/token", auth.api_token, methods=["POST"]),
        Route("/api/rooms/{slug}/messages", api.room_messages),
        Route("/healthz", api.healthz),
        Route("/meetings", meetings.list_meetings),
        Route("/meetings/new", meetings.new_meeting, methods=["GET", "POST"]),
        Route("/meetings/{id:int}", meetings.show_meeting, name="meeting"),
        Route("/meetings/{id:int}/join", meetings.join_meeting, methods=["POST"]),
        Route("/meetings/{id:int}/calendar.ics", meetings.calendar_feed),
        Route("/meetings/{id:int}/exceptions", meetings.set_exception, methods=["POST"]),
        Route("/meetings/{id:int}/hand", meeting_controls.hand, methods=["POST"]),
        Route("/meetings/{id:int}/control/{action}", meeting_controls.control, methods=["POST"]),
        WebSocketRoute("/ws/rooms/{slug}", room_socket),
        # Moderator workspace (docs/moderation-workspace.md)
        Route("/moderation", mod.queue_page),
        Route("/moderation/audit", mod.audit_page),
        Route("/moderation/flags/{flag_id:int}", mod.item_page),
        Route(
            "/moderation/flags/{flag_id:int}/{action}", mod_actions.flag_action, methods=["POST"]
        ),
        Route("/moderation/members/{member_id:int}", mod.member_page),
        Route(
            "/moderation/members/{member_id:int}/{action}",
            mod_actions.member_action,
            methods=["POST"],
        ),
        Route(
            "/rooms/{slug}/messages/{message_id:int}/report",
            reports.report_page,
            methods=["GET", "POST"],
        ),
        Route("/api/messages/{message_id:int}/report", reports.api_report, methods=["POST"]),
        WebSocketRoute("/ws/moderation", moderators_socket),
        Mount("/static", HashedStatic(directory=str(STATIC_DIR)), name="static"),
    ]


async def not_found(request: Request, exc: Exception) -> Response:
    msg = "We couldn't find that page."
    return render(request, "error.html", {"title": "Not found", "message": msg}, 404)


async def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database timed out or refused: nothing was saved; say so plainly."""
    logging.getLogger("hearth").error("database unavailable: %s", type(exc).__name__)
    msg = "We couldn't reach our database, so nothing was saved. Please try again in a moment."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": msg, "code": "unavailable"}, status_code=503)
    return render(request, "error.html", {"title": "Please try again", "message": msg}, 503)


async def server_error(request: Request, exc: Exception) -> Response:
    msg = "Something went wrong on our side. Please try again in a moment."
    return render(request, "error.html", {"title": "Sorry", "message": msg}, 500)


def create_app(settings: Settings | None = None, *, key_prefix: str | None = None) -> Starlette:
    settings = settings or load_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    middleware = [
        Middleware(KeepServerSend),  # first: it must see the server's own send
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=settings.secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=60 * 60 * 24 * 14,
            same_site="lax",
            https_only=settings.production,
        ),
        Middleware(CSRFMiddleware),
        Middleware(GZipMiddleware, minimum_size=500),
    ]
    app = Starlette(
        routes=routes(),
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            404: not_found,
            500: server_error,
            OperationalError: database_unavailable,
        },
    )
    app.state.settings = settings
    app.state.key_prefix = key_prefix or settings.key_prefix
    return app


def asgi() -> Starlette:
    """Factory for `uvicorn --factory community.app:asgi` (settings read at start-up)."""
    return create_app()
