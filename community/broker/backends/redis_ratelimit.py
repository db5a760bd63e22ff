"""Token buckets in Redis, updated by one atomic script so processes never race."""

from __future__ import annotations

from typing import Any

from .redis import redis_client

# KEYS[1] the bucket (a hash: tokens, ts); ARGV[1] rate per s; ARGV[2] burst.
# Returns retry_after in seconds as a string ("0" if allowed): Lua numbers returned to
# Redis are truncated to integers. Time is the server's, so hosts' clocks don't matter.
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local retry = 0
if tokens >= 1 then tokens = tokens - 1 else retry = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(retry)
"""


class RedisBuckets:
    def __init__(self, url: str) -> None:
        # Short timeout: a slow limiter would delay every message.
        self._client = redis_client(url, timeout=0.5)
        # redis-py's Script runs EVALSHA and reloads the script on NOSCRIPT (after a
        # restart or SCRIPT FLUSH).
        self._take: Any = self._client.register_script(_TAKE)

    async def take(self, key: str, rate: float, burst: int) -> float:
        return float(await self._take(keys=[key], args=[rate, burst]))

    async def close(self) -> None:
        await self._client.aclose()
