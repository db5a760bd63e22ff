"""A member's own account: profile, data download, deletion."""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from community.db import run_db
from community.models import User, utcnow
from community.privacy import do_request_deletion, export_user
from community.security import verify_password
from community.views.common import login_redirect, member_form, page_user
from community.web import render

COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def _check_timezone(value: str) -> str | None:
    if not value:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("Choose a time zone like Europe/London or America/Chicago.") from None
    return value


async def account_page(request: Request) -> Response:
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    notice = request.session.pop("notice", None)
    return render(request, "account.html", {"notice": notice, "errors": {}})


async def update_profile(request: Request) -> Response:
    checked = await member_form(request)
    if isinstance(checked, Response):
        return checked
    user, form = checked
    country = str(form.get("country", "")).strip().upper()
    try:
        tz = _check_timezone(str(form.get("timezone", "")).strip())
        if country and not COUNTRY_RE.match(country):
            raise ValueError("Use a two-letter country code like GB, US or AU.")
    except ValueError as e:
        return render(request, "account.html", {"notice": None, "errors": {"profile": str(e)}}, 400)

    def work(session: Session) -> None:
        row = session.get(User, user.id)
        assert row is not None
        row.country, row.timezone = country or None, tz
        session.add(row)

    await run_db(request.app.state.engine, work)
    request.session["notice"] = "Saved."
    return RedirectResponse("/account", status_code=303)


async def export_data(request: Request) -> Response:
    user = await page_user(request)
    if user is None:
        return login_redirect(request)
    data = await run_db(request.app.state.engine, lambda s: export_user(s, user))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    headers = {
        "Content-Disposition": 'attachment; filename="hearth-data.json"',
        "Cache-Control": "no-store",
    }
    return Response(body, media_type="application/json", headers=headers)


async def delete_account(request: Request) -> Response:
    checked = await member_form(request)
    if isinstance(checked, Response):
        return checked
    user, form = checked
    if not verify_password(user.password_hash, str(form.get("password", ""))):
        errors = {"delete": "That password isn't right, so nothing was changed."}
        return render(request, "account.html", {"notice": None, "errors": errors}, 400)

    def work(session: Session) -> None:
        row = session.get(User, user.id)
        assert row is not None
        do_request_deletion(session, row, utcnow())

    await run_db(request.app.state.engine, work)
    request.session.clear()
    days = request.app.state.settings.deletion_grace_days
    msg = (
        f"Your account will be deleted in {days} days. Log in before then if you change "
        "your mind. Take care of yourself."
    )
    return render(request, "error.html", {"title": "Account deletion requested", "message": msg})
