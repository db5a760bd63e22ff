"""Meeting pages: list, create, the meeting page (lobby/live/closed), join, calendar feed.

Facilitator controls live in ``meeting_controls.py``. Times come from
``app.state.meeting_clock`` (a ``FrozenClock`` in tests) and are shown in the member's zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from community import access
from community.broker.channels import room_channel
from community.db import run_db
from community.meetings import forms
from community.meetings.controls import hand_queue, round_state
from community.meetings.ics import group_calendar
from community.meetings.scheduler import publish_all
from community.meetings.service import (
    MeetingError,
    all_groups,
    check_join,
    current,
    do_create_group,
    do_join_meeting,
    do_set_exception,
    get_group,
    room_of,
    schedule_of,
    seat_of,
    seated,
)
from community.meetings.tables import MeetingGroup
from community.models import User
from community.views.common import bad_csrf, login_redirect, member_form, page_user, refused
from community.web import csrf_ok, render

NOT_FOUND = access.Decision(False, "not_found", "This meeting does not exist.")


def now_of(request: Request) -> datetime:
    now: datetime = request.app.state.meeting_clock.now()
    return now


def zone_for(request: Request, user: User) -> tuple[Any, str]:
    return forms.member_zone(user.timezone, request.cookies.get("tz"))


async def list_meetings(request: Request) -> Response:
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    now = now_of(request)
    zone, source = zone_for(request, user)

    def work(session: Session) -> list[dict[str, Any]]:
        found = [(g, current(session, g, now)) for g in all_groups(session)]
        rows = [_summary(g, cur.occurrence.start, cur.phase, now, zone) for g, cur in found if cur]
        return sorted(rows, key=lambda row: row["start"])

    meetings = await run_db(request.app.state.engine, work)
    ctx = {
        "meetings": meetings,
        "zone": zone.key,
        "zone_source": source,
        "can_create": bool(access.access_create_meeting(user)),
    }
    return render(request, "meetings/list.html", ctx)


def _summary(
    group: MeetingGroup, start: datetime, phase: str, now: datetime, zone: Any
) -> dict[str, Any]:
    return {
        "group": group,
        "start": start,
        "local": start.astimezone(zone),
        "phase": phase,
        "countdown": forms.countdown(start, now),
    }


async def new_meeting(request: Request) -> Response:
    user = await page_user(request)
    decision = access.access_create_meeting(user)
    if not decision:
        return refused(request, decision)
    assert user is not None
    if request.method == "GET":
        return _new_form(request, {}, {})
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    weekdays = [v for v in form.getlist("weekdays") if isinstance(v, str)]
    try:
        spec = forms.parse_group(values, weekdays)
        group = await run_db(
            request.app.state.engine, lambda s: do_create_group(s, spec=spec, facilitator=user)
        )
    except MeetingError as e:
        return _new_form(request, values, {e.field: e.message}, 400)
    return RedirectResponse(f"/meetings/{group.id}", status_code=303)


def _new_form(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    ctx = {
        "values": values,
        "errors": errors,
        "zones": forms.zone_names(),
        "recurrences": forms.RECURRENCES,
        "retentions": forms.RETENTIONS,
        "weekdays": forms.WEEKDAYS,
        "nths": forms.NTHS,
    }
    return render(request, "meetings/new.html", ctx, status)


def _meeting_context(
    session: Session, group: MeetingGroup, user: User, now: datetime
) -> dict[str, Any]:
    cur = current(session, group, now)
    facilitates = bool(access.access_facilitate(user, group.facilitator_id))
    row = cur.row if cur else None
    seat = seat_of(session, row, user)
    joined = seat is not None and not seat.removed
    arrivals = [handle for _, handle in seated(session, row)]
    return {
        "group": group,
        "room": room_of(session, group),
        "cur": cur,
        "row": row,
        "facilitates": facilitates,
        "joined": joined,
        # Names of who is here are for the people in the meeting, not for passers-by.
        "arrivals": arrivals if joined or facilitates else [],
        "arrival_count": len(arrivals),
        "join": check_join(session, group, cur, user, now, facilitator=facilitates),
        "hands": hand_queue(session, row),
        "round": round_state(session, group, row),
        "exceptions": schedule_of(group).exceptions,
    }


async def show_meeting(request: Request, *, error: str = "", status: int = 200) -> Response:
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    gid = request.path_params["id"]
    now = now_of(request)

    def work(session: Session) -> dict[str, Any] | None:
        group = get_group(session, gid)
        return None if group is None else _meeting_context(session, group, user, now)

    ctx = await run_db(request.app.state.engine, work)
    if ctx is None:
        return refused(request, NOT_FOUND)
    zone, source = zone_for(request, user)
    cur = ctx["cur"]
    if cur is not None:
        ctx["times"] = {
            name: moment.astimezone(zone)
            for name, moment in (
                ("opens", cur.room.opens_at),
                ("starts", cur.occurrence.start),
                ("ends", cur.room.ends_at),
            )
        }
        ctx["countdown"] = forms.countdown(cur.occurrence.start, now)
    ctx.update(
        zone=zone.key,
        zone_source=source,
        error=error,
        notice=request.session.pop("notice", None),
        now=now,
    )
    return render(request, "meetings/show.html", ctx, status)


async def join_meeting(request: Request) -> Response:
    checked = await member_form(request)
    if isinstance(checked, Response):
        return checked
    user, form = checked
    if form.get("accept_guidelines") != "yes":
        return await show_meeting(
            request, error="Please read and accept the group's guidelines to join.", status=400
        )
    gid, now = request.path_params["id"], now_of(request)

    def work(session: Session) -> tuple[str, list[tuple[str, dict[str, Any]]]] | None:
        group = get_group(session, gid)
        if group is None:
            return None
        cur = current(session, group, now)
        facilitates = bool(access.access_facilitate(user, group.facilitator_id))
        decision = check_join(session, group, cur, user, now, facilitator=facilitates)
        if not decision.allowed or cur is None:
            return decision.message, []
        row = do_join_meeting(session, group, cur, user)
        handles = [handle for _, handle in seated(session, row)]
        event = {"type": "meeting_arrival", "meeting": group.id, "handles": handles}
        return "", [(room_channel(room_of(session, group).slug), event)]

    outcome = await run_db(request.app.state.engine, work)
    if outcome is None:
        return refused(request, NOT_FOUND)
    message, events = outcome
    if message:
        return await show_meeting(request, error=message, status=403)
    await publish_all(request.app.state, events)
    return RedirectResponse(f"/meetings/{gid}", status_code=303)


async def calendar_feed(request: Request) -> Response:
    """The group's ICS feed: neutral titles, so no login is needed to subscribe to it."""
    gid = request.path_params["id"]
    group = await run_db(request.app.state.engine, lambda s: get_group(s, gid))
    if group is None:
        return refused(request, NOT_FOUND)
    host = request.url.hostname or "hearth.invalid"
    body = group_calendar(
        schedule_of(group),
        uid_domain=host,
        group_id=gid,
        url=str(request.url_for("meeting", id=gid)),
    )
    headers = {"Content-Disposition": f'inline; filename="hearth-{gid}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


async def set_exception(request: Request) -> Response:
    """Cancel or move one occurrence: the group's facilitator (or staff) only."""
    user = await page_user(request)
    gid = request.path_params["id"]
    group = await run_db(request.app.state.engine, lambda s: get_group(s, gid))
    if group is None:
        return refused(request, NOT_FOUND)
    decision = access.access_facilitate(user, group.facilitator_id)
    if not decision:
        return refused(request, decision)
    form = await request.form()
    if not csrf_ok(request, form):
        return bad_csrf(request)
    values = {k: v for k, v in form.items() if isinstance(v, str)}

    def work(session: Session) -> None:
        fresh = get_group(session, gid)
        assert fresh is not None
        do_set_exception(session, fresh, forms.parse_exception(values))

    try:
        await run_db(request.app.state.engine, work)
    except (MeetingError, ValueError) as e:
        return await show_meeting(request, error=getattr(e, "message", str(e)), status=400)
    request.session["notice"] = "The schedule was updated."
    return RedirectResponse(f"/meetings/{gid}", status_code=303)
