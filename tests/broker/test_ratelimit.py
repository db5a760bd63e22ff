from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest
import redis.asyncio as aioredis

from community.broker.ratelimit import RateLimiter
from tests.redis_fixtures import RestartableRedis

pytestmark = pytest.mark.anyio


@pytest.fixture
async def limiter(broker_url: str, redis_prefix: str) -> AsyncIterator[RateLimiter]:
    async with RateLimiter(broker_url, rate=20, burst=3, prefix=redis_prefix) as rl:
        yield rl


async def test_allows_a_burst_then_refuses_then_refills(limiter: RateLimiter) -> None:
    assert [await limiter.hit("user:1") for _ in range(3)] == [0.0, 0.0, 0.0]
    retry_after = await limiter.hit("user:1")
    assert 0.0 < retry_after <= 0.05 + 1e-6
    assert await limiter.hit("user:2") == 0.0  # buckets are per key
    await anyio.sleep(retry_after + 0.01)
    assert await limiter.hit("user:1") == 0.0
    assert await limiter.hit("user:1") > 0.0


async def test_disabled_limiter_allows_everything(broker_url: str) -> None:
    async with RateLimiter(broker_url, rate=1, burst=1, enabled=False) as rl:
        assert {await rl.hit("user:1") for _ in range(100)} == {0.0}


async def test_bad_configuration_and_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="rate > 0"):
        RateLimiter("memory://", rate=0, burst=1)
    with pytest.raises(ValueError, match="burst >= 1"):
        RateLimiter("memory://", rate=1, burst=0)
    with pytest.raises(ValueError, match="scheme"):
        RateLimiter("mysql://x", rate=1, burst=1)
    with pytest.raises(ValueError, match="empty"):
        await RateLimiter("memory://", rate=1, burst=1).hit("")


async def test_bucket_is_shared_between_processes(redis_url: str, redis_prefix: str) -> None:
    async with (
        RateLimiter(redis_url, rate=1, burst=3, prefix=redis_prefix) as a,
        RateLimiter(redis_url, rate=1, burst=3, prefix=redis_prefix) as b,
    ):
        assert [await a.hit("user:7"), await b.hit("user:7"), await a.hit("user:7")] == [0.0] * 3
        assert await b.hit("user:7") > 0.9


async def test_script_is_reloaded_after_flush(redis_url: str, redis_prefix: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    async with RateLimiter(redis_url, rate=1, burst=1, prefix=redis_prefix) as rl:
        assert await rl.hit("user:1") == 0.0
        await client.script_flush()
        assert await rl.hit("user:1") > 0.0
    await client.aclose()


async def test_fails_open_when_redis_is_down(
    restartable_redis: RestartableRedis, caplog: pytest.LogCaptureFixture
) -> None:
    async with RateLimiter(restartable_redis.url, rate=1, burst=1) as rl:
        assert await rl.hit("user:1") == 0.0
        restartable_redis.stop()
        assert [await rl.hit("user:1") for _ in range(3)] == [0.0] * 3
        assert caplog.text.count("rate limiter unavailable") == 1
        restartable_redis.start()
        # The bucket survived the restart (RDB on shutdown) or restarted full:
        # either way limiting resumes within two hits.
        hits = [await rl.hit("user:1") for _ in range(2)]
        assert hits[-1] > 0.0
        assert "rate limiter recovered" in caplog.text
