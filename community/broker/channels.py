"""Channel and key names: the only place they are spelled.

Every name carries a Redis Cluster hash tag (the part in braces), so all the keys of
one room (its pub/sub channel, presence set, ...) hash to the same slot. That lets
room channels move to sharded pub/sub (SSUBSCRIBE/SPUBLISH) on a cluster without
renaming anything. The broker adds its prefix outside the braces (`hearth:{room:x}`),
which leaves the hash tag intact.
"""

from __future__ import annotations

import re

# Slugs become part of Redis names: braces would break the hash tag, and whitespace
# or control characters have no business in a slug.
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def _check_slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise ValueError("room slug must be 1-100 characters of letters, digits, '-', '_' or '.'")
    return slug


def room_channel(slug: str) -> str:
    """The channel carrying a room's events (messages, presence, moderation)."""
    return f"{{room:{_check_slug(slug)}}}"


def room_key(slug: str, suffix: str) -> str:
    """A key belonging to a room, in the same cluster slot as its channel."""
    return f"{room_channel(slug)}:{suffix}"


def user_channel(user_id: int) -> str:
    """The channel for events addressed to one user (on every connection they hold)."""
    if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 0:
        raise ValueError("user_id must be a non-negative integer")
    return f"{{user:{user_id}}}"


def moderators_channel() -> str:
    """The channel that peer moderators listen on (flags, crisis alerts)."""
    return "{moderators}"


def check_prefix(prefix: str) -> str:
    """Validate a key prefix: it sits outside the hash tag so it must not contain braces."""
    if not prefix or "{" in prefix or "}" in prefix or any(c.isspace() for c in prefix):
        raise ValueError("prefix must be non-empty, without braces or whitespace")
    return prefix
