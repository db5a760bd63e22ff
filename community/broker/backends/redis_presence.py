"""Presence entries in Redis: one sorted set per room, scored by expiry time.

Scores come from the Redis server's clock (TIME inside the scripts), so processes on
hosts whose clocks disagree still agree on what has lapsed.
"""

from __future__ import annotations

from typing import Any

from .redis import redis_client

_NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS[1] the room's set; ARGV[1] ttl in ms; ARGV[2..] entries. Returns pruned count.
_TOUCH = (
    _NOW_MS
    + """
local ttl = tonumber(ARGV[1])
local pruned = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl)
return pruned
"""
)

# KEYS[1] the room's set. Returns the entries that have not lapsed. Read-only on
# purpose: pruning is left to `_TOUCH`, whose caller (a process with people in the
# room) learns that someone lapsed and publishes a presence update for everyone.
_LIVE = (
    _NOW_MS
    + """
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
"""
)


class RedisPresenceStore:
    def __init__(self, url: str, *, ttl_ms: int) -> None:
        self._client = redis_client(url)
        self._ttl_ms = ttl_ms
        self._touch: Any = self._client.register_script(_TOUCH)
        self._live: Any = self._client.register_script(_LIVE)

    async def touch(self, key: str, entries: list[str]) -> int:
        return int(await self._touch(keys=[key], args=[self._ttl_ms, *entries]))

    async def remove(self, key: str, entry: str) -> None:
        await self._client.zrem(key, entry)

    async def live(self, key: str) -> list[str]:
        return list(await self._live(keys=[key]))

    async def close(self) -> None:
        await self._client.aclose()
