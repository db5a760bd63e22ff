"""Per-user token buckets: in-process (memory://) or shared through Redis (redis://).

If the limiter's Redis is unreachable we fail open: the message is allowed and the
outage is logged. In a support community, wrongly silencing someone in distress
because Redis blipped is worse than briefly letting a flood through; floods are
still bounded by the per-connection queues and moderation.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit

from .channels import check_prefix

log = logging.getLogger(__name__)


class Buckets(Protocol):
    async def take(self, key: str, rate: float, burst: int) -> float:
        """Take one token; 0.0 if allowed, else seconds until a token is available."""
        ...

    async def close(self) -> None: ...


class MemoryBuckets:
    """Buckets for one process. Full buckets are forgotten, so memory stays bounded."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    async def take(self, key: str, rate: float, burst: int) -> float:
        now = time.monotonic()
        tokens, at = self._buckets.get(key, (float(burst), now))
        tokens = min(float(burst), tokens + (now - at) * rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            self._forget_full(now, rate, burst)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / rate

    def _forget_full(self, now: float, rate: float, burst: int) -> None:
        # Amortised: only sweep once the table is large.
        if len(self._buckets) < 10_000:
            return
        refill = burst / rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}

    async def close(self) -> None:
        self._buckets.clear()


def _buckets_for(url: str) -> Buckets:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryBuckets()
    if scheme in ("redis", "rediss"):
        from .backends.redis_ratelimit import RedisBuckets

        return RedisBuckets(url)
    raise ValueError(f"unsupported rate limit URL scheme {scheme!r}: use memory:// or redis://")


class RateLimiter:
    """`rate` tokens per second, at most `burst` saved up, per key (a user id).

    With `enabled=False` every hit is allowed and nothing is connected (load tests).
    """

    def __init__(
        self,
        url: str,
        rate: float,
        burst: int,
        enabled: bool = True,
        *,
        prefix: str = "hearth",
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("need rate > 0 and burst >= 1")
        self.rate, self.burst, self.enabled = rate, burst, enabled
        self._prefix = check_prefix(prefix) + ":"
        self._buckets = _buckets_for(url) if enabled else None
        self._failing = False

    async def hit(self, key: str) -> float:
        """Spend one token for `key`: 0.0 if allowed, else `retry_after` seconds."""
        if not key:
            raise ValueError("rate limit key must not be empty")
        if self._buckets is None:
            return 0.0
        try:
            retry_after = await self._buckets.take(self._key(key), self.rate, self.burst)
        except Exception as exc:
            self._note_failure(exc)
            return 0.0
        if self._failing:
            log.warning("rate limiter recovered")
            self._failing = False
        return retry_after

    def _key(self, key: str) -> str:
        # Hash-tagged like every other key (docs/broker.md).
        return f"{self._prefix}{{ratelimit:{key}}}"

    def _note_failure(self, exc: Exception) -> None:
        # Logged once per outage, not once per message.
        if not self._failing:
            log.warning("rate limiter unavailable (%s); allowing messages", type(exc).__name__)
        self._failing = True

    async def aclose(self) -> None:
        if self._buckets is not None:
            await self._buckets.close()

    async def __aenter__(self) -> RateLimiter:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
