"""The moderator workspace over HTTP: queue, item, audit log, member pages, actions, reports.

Every moderator endpoint asks `access.access_moderate` first (before CSRF, so a
refusal is a 401/403, never a confusing "form expired"). Actions write through
`community.actions.moderation`, then publish after the commit.

Over ~300 lines because the read side (each item's context, the author's history,
the audit query) sits at the bottom: the workspace owns only this views module.
Split it into its own module when that changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from community import access
from community.actions.moderation import (
    FLAG_ACTIONS,
    MEMBER_ACTIONS,
    MUTE_MINUTES,
    REPORT_REASONS,
    Done,
    ModerationError,
    Publish,
    check_input,
    check_report,
    do_flag_action,
    do_member_action,
    do_report,
    report_event,
)
from community.actions.rooms import get_membership
from community.broker.channels import moderators_channel
from community.db import run_db
from community.events import dumps
from community.models import (
    AuditEntry,
    Flag,
    Message,
    MessageStatus,
    Room,
    StaffNote,
    User,
    utcnow,
)
from community.views.common import bad_csrf, login_redirect, page_user, refused
from community.web import bearer_token, csrf_ok, render
from community.ws_moderators import alert_facilitator

AUDIT_ACTIONS = tuple(dict.fromkeys((*FLAG_ACTIONS, *MEMBER_ACTIONS)))


async def _moderator(request: Request) -> User | Response:
    user = await page_user(request)
    decision = access.access_moderate(user)
    if not decision or user is None:
        return refused(request, decision)
    return user


def _csrf(request: Request, form: FormData) -> bool:
    # community.csrf's middleware checks too; checked here as well so the workspace stays
    # safe if that middleware's rules change (it is the one place a ban can be forged).
    return csrf_ok(request, form)


def _wants_json(request: Request) -> bool:
    return bearer_token(request) is not None or "application/json" in request.headers.get(
        "accept", ""
    )


def _failed(request: Request, e: ModerationError) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": e.message, "code": e.code}, e.status)
    return render(request, "error.html", {"title": "Not done", "message": e.message}, e.status)


def _done(request: Request, done: Done, back: str) -> Response:
    if _wants_json(request):
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


# --- pages -----------------------------------------------------------------------


async def queue_page(request: Request) -> Response:
    user = await _moderator(request)
    if isinstance(user, Response):
        return user
    now = utcnow()
    items = await run_db(request.app.state.engine, lambda s: queue_items(s, now))
    ctx = {"items": items, "notice": request.session.pop("notice", None), **_form_ctx()}
    return render(request, "moderation/queue.html", ctx)


async def item_page(request: Request) -> Response:
    """One queue item; `?fragment=1` answers only its <li> (queue.js inserts it live)."""
    user = await _moderator(request)
    if isinstance(user, Response):
        return user
    flag_id: int = request.path_params["flag_id"]
    now = utcnow()
    item = await run_db(request.app.state.engine, lambda s: queue_item(s, flag_id, now))
    if item is None:
        return refused(request, access.Decision(False, "not_found", "No such queue item."))
    fragment = bool(request.query_params.get("fragment"))
    name = "moderation/_item.html" if fragment else "moderation/item.html"
    return render(request, name, {"item": item, **_form_ctx()})


def _form_ctx() -> dict[str, Any]:
    return {"mute_minutes": MUTE_MINUTES, "flag_actions": FLAG_ACTIONS}


async def audit_page(request: Request) -> Response:
    user = await _moderator(request)
    if isinstance(user, Response):
        return user
    q = request.query_params
    filters = {k: q.get(k, "").strip() for k in ("moderator", "action", "member")}
    if filters["action"] and filters["action"] not in AUDIT_ACTIONS:
        return _failed(request, ModerationError("bad_action", "Unknown action filter."))
    who, action, member = filters["moderator"], filters["action"], filters["member"]
    rows = await run_db(
        request.app.state.engine,
        lambda s: audit_rows(s, moderator=who, action=action, member=member),
    )
    ctx = {"rows": rows, "filters": filters, "actions": AUDIT_ACTIONS}
    return render(request, "moderation/audit.html", ctx)


async def member_page(request: Request) -> Response:
    user = await _moderator(request)
    if isinstance(user, Response):
        return user
    member_id: int = request.path_params["member_id"]
    ctx = await run_db(request.app.state.engine, lambda s: member_context(s, member_id))
    if ctx is None:
        return refused(request, access.Decision(False, "not_found", "No such member."))
    ctx.update(notice=request.session.pop("notice", None), mute_minutes=MUTE_MINUTES)
    return render(request, "moderation/member.html", ctx)


# --- actions ---------------------------------------------------------------------


async def flag_action(request: Request) -> Response:
    """POST /moderation/flags/{id}/{action}: claim, release, remove, ..., dismiss."""
    user = await _moderator(request)
    if isinstance(user, Response):
        return user
    form = await request.form()
    if not _csrf(request, form):
        return bad_csrf(request)
    flag_id: int = request.path_params["flag_id"]
    action: str = request.path_params["action"]
    minutes = request.app.state.settings.claim_minutes
    try:
        inp = check_input(form)
        done = await run_db(
            request.app.state.engine,
            lambda s: do_flag_action(
                s,
                flag_id=flag_id,
                actor=user,
                action=action,
                inp=inp,
                now=utcnow(),
                claim_minutes=minutes,
            ),
        )
    except ModerationError as e:
        return _failed(request, e)
    await _publish(request, done.events)
    return _done(request, done, f"/moderation#f{flag_id}")


async def member_action(request: Request) -> Response:
    """POST /moderation/members/{id}/{action}: note, check-in, warning, mute, ban."""
    user = await _moderator(request)
    if isinstance(user, Response):
        return user
    form = await request.form()
    if not _csrf(request, form):
        return bad_csrf(request)
    member_id: int = request.path_params["member_id"]
    action: str = request.path_params["action"]
    try:
        inp = check_input(form)
        done = await run_db(
            request.app.state.engine,
            lambda s: do_member_action(
                s, subject_id=member_id, actor=user, action=action, inp=inp, now=utcnow()
            ),
        )
    except ModerationError as e:
        return _failed(request, e)
    await _publish(request, done.events)
    return _done(request, done, f"/moderation/members/{member_id}")


# --- member reports --------------------------------------------------------------


async def report_page(request: Request) -> Response:
    """GET/POST /rooms/{slug}/messages/{id}/report: the no-JavaScript report form."""
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    slug: str = request.path_params["slug"]
    message_id: int = request.path_params["message_id"]
    found = await run_db(request.app.state.engine, lambda s: reportable(s, message_id, user))
    if isinstance(found, access.Decision) or found[1].slug != slug:
        return refused(request, found if isinstance(found, access.Decision) else _missing())
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


def _missing() -> access.Decision:
    return access.Decision(False, "not_found", "That message does not exist.")


# --- the read side: what a moderator sees ------------------------------------------

CONTEXT = 3  # messages shown before and after a flagged one
QUEUE_LIMIT = 100
HISTORY = 5  # the author's recent flags and staff notes shown per item


@dataclass
class QueueItem:
    flag: Flag
    room: Room | None
    message: Message | None
    author: str
    reporter: str | None
    context: list[tuple[Message, str]]  # before, the flagged message, after; in id order
    recent_flags: list[Flag]
    notes: list[tuple[StaffNote, str]]
    claimed_by: str | None  # only while the claim is live
    raised_minutes: int


def queue_items(session: Session, now: datetime) -> list[QueueItem]:
    """Open flags, crisis first (priority 3, 2, 1, 0), then oldest first."""
    flags = session.exec(
        select(Flag)
        .where(Flag.status == "open")
        .order_by(col(Flag.priority).desc(), col(Flag.created_at), col(Flag.id))
        .limit(QUEUE_LIMIT)
    ).all()
    return [_item(session, f, now) for f in flags]


def queue_item(session: Session, flag_id: int, now: datetime) -> QueueItem | None:
    flag = session.get(Flag, flag_id)
    return _item(session, flag, now) if flag is not None else None


def _item(session: Session, flag: Flag, now: datetime) -> QueueItem:
    msg = session.get(Message, flag.message_id) if flag.message_id else None
    live_claim = flag.claimed_by and flag.claimed_until and flag.claimed_until > now
    return QueueItem(
        flag=flag,
        room=session.get(Room, flag.room_id) if flag.room_id else None,
        message=msg,
        author=_handle(session, flag.subject_id) or "former member",
        reporter=_handle(session, flag.reporter_id),
        context=_context(session, msg) if msg else [],
        recent_flags=_recent_flags(session, flag.subject_id, exclude=flag.id),
        notes=_notes(session, flag.subject_id, HISTORY),
        claimed_by=_handle(session, flag.claimed_by) if live_claim else None,
        raised_minutes=max(0, int((now - flag.created_at).total_seconds() // 60)),
    )


def _handle(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return user.handle if user else None


def _context(session: Session, msg: Message) -> list[tuple[Message, str]]:
    around = (
        select(Message, User.handle)
        .join(User, col(User.id) == Message.author_id, isouter=True)
        .where(Message.room_id == msg.room_id, Message.status == MessageStatus.VISIBLE)
    )
    before = session.exec(
        around.where(col(Message.id) < msg.id).order_by(col(Message.id).desc()).limit(CONTEXT)
    ).all()
    after = session.exec(
        around.where(col(Message.id) > msg.id).order_by(col(Message.id)).limit(CONTEXT)
    ).all()
    author = _handle(session, msg.author_id) or "former member"
    rows = [*reversed(before), (msg, author), *after]
    return [(m, h or "former member") for m, h in rows]


def _recent_flags(session: Session, subject_id: int | None, exclude: int | None) -> list[Flag]:
    if subject_id is None:
        return []
    return list(
        session.exec(
            select(Flag)
            .where(Flag.subject_id == subject_id, col(Flag.id) != exclude)
            .order_by(col(Flag.id).desc())
            .limit(HISTORY)
        ).all()
    )


def _notes(session: Session, subject_id: int | None, limit: int) -> list[tuple[StaffNote, str]]:
    if subject_id is None:
        return []
    rows = session.exec(
        select(StaffNote, User.handle)
        .join(User, col(User.id) == StaffNote.author_id, isouter=True)
        .where(StaffNote.subject_id == subject_id)
        .order_by(col(StaffNote.id).desc())
        .limit(limit)
    ).all()
    return [(n, h or "former moderator") for n, h in rows]


def audit_rows(
    session: Session, *, moderator: str, action: str, member: str, limit: int = 200
) -> list[tuple[AuditEntry, str | None, str | None]]:
    """Newest first, with the moderator's and member's handles; filters are exact."""
    actor, subject = aliased(User), aliased(User)
    query = (
        select(AuditEntry, actor.handle, subject.handle)
        .join(actor, col(actor.id) == AuditEntry.actor_id, isouter=True)
        .join(subject, col(subject.id) == AuditEntry.subject_id, isouter=True)
    )
    if moderator:
        query = query.where(actor.handle_key == moderator.lower())
    if member:
        query = query.where(subject.handle_key == member.lower())
    if action:
        query = query.where(AuditEntry.action == action)
    rows = session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)).all()
    return [(e, a, m) for e, a, m in rows]


def member_context(session: Session, member_id: int) -> dict[str, Any] | None:
    member = session.get(User, member_id)
    if member is None:
        return None
    return {
        "member": member,
        "flags": _recent_flags(session, member_id, exclude=None)[:HISTORY],
        "notes": _notes(session, member_id, 100),
        "audit": audit_rows(session, moderator="", action="", member=member.handle, limit=20),
    }


def reportable(
    session: Session, message_id: int, user: User
) -> tuple[Message, Room] | access.Decision:
    """The message and room, if `user` may report it (they can see it)."""
    msg = session.get(Message, message_id)
    room = session.get(Room, msg.room_id) if msg else None
    if msg is None or room is None or msg.status != MessageStatus.VISIBLE:
        return _missing()
    decision = access.access_report(user, room, get_membership(session, room, user))
    return (msg, room) if decision else decision
