"""Accounts: check_* validates, do_* writes (Zulip's split)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from community.models import LoginAttempt, Role, User, utcnow
from community.security import hash_password, verify_password

HANDLE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,23}$")
RESERVED_HANDLES = {
    "admin",
    "administrator",
    "moderator",
    "mod",
    "mods",
    "staff",
    "hearth",
    "support",
    "system",
    "root",
    "help",
    "crisis",
    "facilitator",
    "official",
    "security",
    "null",
    "anonymous",
    "everyone",
    "here",
    "api",
    "login",
    "logout",
    "register",
}
MIN_PASSWORD = 10
THROTTLE_WINDOW = timedelta(minutes=15)


class AccountError(ValueError):
    """A registration or login problem; `field` says which input, the text says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Throttled(AccountError):
    pass


def check_handle(session: Session, handle: str) -> str:
    handle = handle.strip()
    if not 3 <= len(handle) <= 24:
        raise AccountError("handle", "Choose a handle of 3 to 24 characters.")
    if not HANDLE_RE.match(handle):
        raise AccountError(
            "handle",
            "Handles use letters, numbers, '_', '.' and '-', and start with a letter or number.",
        )
    key = handle.lower()
    if key in RESERVED_HANDLES or key.startswith(("mod_", "admin_", "hearth")):
        raise AccountError("handle", "That handle is reserved. Please choose another.")
    if session.exec(select(User.id).where(User.handle_key == key)).first() is not None:
        raise AccountError("handle", "That handle is taken. Please choose another.")
    return handle


def check_password(password: str, handle: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", f"Use a password of at least {MIN_PASSWORD} characters.")
    if len(password) > 256:
        raise AccountError("password", "That password is too long (256 characters at most).")
    lowered = password.lower()
    if handle.lower() in lowered or len(set(password)) < 5 or lowered in _COMMON:
        raise AccountError("password", "That password is too easy to guess. Try a short phrase.")


_COMMON = {"password123", "1234567890", "qwertyuiop", "iloveyou12", "password12", "letmein123"}


def do_register(
    session: Session,
    *,
    handle: str,
    password: str,
    accept_guidelines: bool,
    age_confirmed: bool,
    guidelines_version: str,
    min_age: int,
    role: Role = Role.MEMBER,
) -> User:
    handle = check_handle(session, handle)
    check_password(password, handle)
    if not accept_guidelines:
        raise AccountError("accept_guidelines", "Please read and accept the community guidelines.")
    if not age_confirmed:
        raise AccountError("age_confirmed", f"Hearth is for people aged {min_age} and over.")
    user = User(
        handle=handle,
        handle_key=handle.lower(),
        password_hash=hash_password(password),
        role=role,
        guidelines_version=guidelines_version,
    )
    session.add(user)
    session.flush()
    return user


def check_login_throttle(session: Session, handle: str, ip: str, limit: int) -> None:
    since = utcnow() - THROTTLE_WINDOW
    for column, value in ((LoginAttempt.handle_key, handle.lower()), (LoginAttempt.ip, ip)):
        count = session.exec(
            select(func.count()).where(column == value, col(LoginAttempt.created_at) > since)
        ).one()
        if count >= limit:
            raise Throttled("handle", "Too many failed attempts. Please wait 15 minutes.")


def do_authenticate(session: Session, *, handle: str, password: str, ip: str, limit: int) -> User:
    """Return the user, or raise AccountError; failures are recorded for throttling."""
    check_login_throttle(session, handle, ip, limit)
    user = session.exec(select(User).where(User.handle_key == handle.strip().lower())).first()
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or user.deleted_at is not None:
        session.add(LoginAttempt(handle_key=handle.strip().lower()[:24], ip=ip[:64]))
        # Commit now: the caller's scope rolls back on the error we are about to raise.
        session.commit()
        raise AccountError("password", "That handle and password don't match.")
    if user.banned:
        raise AccountError("handle", "This account has been suspended.")
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.handle_key) == user.handle_key))
    # Logging in during the grace period cancels a requested deletion.
    user.deletion_requested_at = None
    return user
