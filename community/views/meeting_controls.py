"""Facilitator controls and raise-hand as plain HTML form posts (they work without JS).

Each handler: access check -> CSRF -> database action in one transaction -> publish the
events it returned (after the commit) -> back to the meeting page with a notice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from community import access
from community.db import run_db
from community.meetings import controls
from community.meetings.scheduler import Event, publish_all
from community.meetings.service import MeetingError, get_group
from community.meetings.tables import MeetingGroup
from community.models import User
from community.views.common import bad_csrf, login_redirect, page_user, refused
from community.views.meetings import NOT_FOUND, now_of
from community.web import csrf_ok, render

Control = Callable[[Session, MeetingGroup, datetime, FormData], list[Event]]


def _message_id(form: FormData) -> int | None:
    raw = str(form.get("message_id", "")).strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise MeetingError("message_id", "Give the number of the message to pin.")
    return int(raw)


# Name in the URL -> (action, notice shown to the facilitator afterwards).
CONTROLS: dict[str, tuple[Control, str]] = {
    "open": (lambda s, g, n, f: controls.do_open_early(s, g, n), "The lobby is open."),
    "extend": (lambda s, g, n, f: controls.do_extend(s, g, n), "Extended by 15 minutes."),
    "end": (lambda s, g, n, f: controls.do_end(s, g, n), "The meeting has ended."),
    "lock": (lambda s, g, n, f: controls.do_lock(s, g, n, locked=True), "Locked: no new joiners."),
    "unlock": (lambda s, g, n, f: controls.do_lock(s, g, n, locked=False), "Unlocked."),
    "pin": (
        lambda s, g, n, f: controls.do_pin(
            s, g, n, guidelines=f.get("guidelines") == "yes", message_id=_message_id(f)
        ),
        "Pinned items updated.",
    ),
    "mute": (
        lambda s, g, n, f: controls.do_mute(s, g, n, handle=str(f.get("handle", ""))),
        "Muted until the meeting ends.",
    ),
    "remove": (
        lambda s, g, n, f: controls.do_remove(s, g, n, handle=str(f.get("handle", ""))),
        "Removed from the meeting.",
    ),
    "next-hand": (lambda s, g, n, f: controls.do_call_next(s, g, n), "Called the next hand."),
    "round": (
        lambda s, g, n, f: controls.do_start_round(s, g, n, kind=str(f.get("kind", ""))),
        "Round started.",
    ),
    "next-turn": (lambda s, g, n, f: controls.do_next_turn(s, g, n), "Next turn."),
}


async def _run(request: Request, work: Callable[[Session], list[Event]], notice: str) -> Response:
    gid = request.path_params["id"]
    try:
        events = await run_db(request.app.state.engine, work)
    except MeetingError as e:
        ctx = {"title": "That didn't work", "message": e.message}
        return render(request, "error.html", ctx, 409)
    await publish_all(request.app.state, events)
    request.session["notice"] = notice
    return RedirectResponse(f"/meetings/{gid}", status_code=303)


async def _group_and_form(
    request: Request, user: User | None
) -> tuple[MeetingGroup | None, FormData | None, Response | None]:
    gid = request.path_params["id"]
    group = await run_db(request.app.state.engine, lambda s: get_group(s, gid))
    if group is None:
        return None, None, refused(request, NOT_FOUND)
    form = await request.form()
    if not csrf_ok(request, form):
        return None, None, bad_csrf(request)
    return group, form, None


async def control(request: Request) -> Response:
    """POST /meetings/{id}/control/{action}: the facilitator's buttons."""
    user = await page_user(request)
    entry = CONTROLS.get(request.path_params["action"])
    if entry is None:
        return refused(request, access.Decision(False, "not_found", "No such control."))
    group, form, problem = await _group_and_form(request, user)
    if problem is not None:
        return problem
    assert group is not None and form is not None
    decision = access.access_facilitate(user, group.facilitator_id)
    if not decision:
        return refused(request, decision)
    action, notice = entry
    now = now_of(request)
    return await _run(request, lambda s: action(s, _fresh(s, group), now, form), notice)


async def hand(request: Request) -> Response:
    """POST /meetings/{id}/hand: a participant raises (raised=yes) or lowers their hand."""
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    group, form, problem = await _group_and_form(request, user)
    if problem is not None:
        return problem
    assert group is not None and form is not None
    raised = form.get("raised") == "yes"
    now = now_of(request)

    def work(session: Session) -> list[Event]:
        return controls.do_hand(session, _fresh(session, group), user, now, raised=raised)

    return await _run(request, work, "Hand raised." if raised else "Hand lowered.")


def _fresh(session: Session, group: MeetingGroup) -> MeetingGroup:
    found = session.get(MeetingGroup, group.id)
    assert found is not None
    return found
