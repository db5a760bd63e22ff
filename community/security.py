"""Passwords, API tokens and CSRF tokens.

Sessions themselves are Starlette's signed cookie (SessionMiddleware); what it
holds is `uid`, `epoch` (must match `User.session_epoch`) and `csrf`.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
# Verifying against this keeps unknown-handle logins as slow as wrong-password ones,
# so response time does not reveal which handles exist.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")

TOKEN_MAX_AGE = 60 * 60 * 24 * 30


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    epoch: int


class Tokens:
    """Signed bearer tokens for non-browser clients; revoked by bumping the user's epoch."""

    def __init__(self, secret_key: str) -> None:
        self._s = URLSafeTimedSerializer(secret_key, salt="hearth.api-token")

    def issue(self, user_id: int, epoch: int) -> str:
        return self._s.dumps({"uid": user_id, "epoch": epoch})

    def read(self, token: str) -> TokenClaims | None:
        try:
            data = self._s.loads(token, max_age=TOKEN_MAX_AGE)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        uid, epoch = data.get("uid"), data.get("epoch")
        if not isinstance(uid, int) or not isinstance(epoch, int):
            return None
        return TokenClaims(uid, epoch)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
