from __future__ import annotations

import time
from collections.abc import AsyncIterator

import anyio
import pytest
import redis.asyncio as aioredis

from community.broker import (
    RESYNC,
    Broker,
    BrokerUnavailable,
    SubscriberOverflow,
)
from community.broker.channels import room_channel
from tests.broker._helpers import eventually, next_event
from tests.redis_fixtures import RestartableRedis

pytestmark = pytest.mark.anyio


@pytest.fixture
async def broker(broker_url: str, redis_prefix: str) -> AsyncIterator[Broker]:
    async with Broker(broker_url, prefix=redis_prefix) as b:
        yield b


async def test_fan_out_to_every_local_subscriber(broker: Broker) -> None:
    room = room_channel("general")
    async with (
        broker.subscribe(room) as a,
        broker.subscribe(room) as b,
        broker.subscribe(room) as c,
        broker.subscribe(room_channel("other")) as elsewhere,
    ):
        await broker.publish(room, "one")
        await broker.publish(room, "two")
        for subscriber in (a, b, c):
            assert [await next_event(subscriber), await next_event(subscriber)] == [
                "one",
                "two",
            ]
        await broker.publish(room_channel("other"), "three")
        assert await next_event(elsewhere) == "three"


async def test_message_to_channel_without_subscribers_is_dropped(broker: Broker) -> None:
    await broker.publish(room_channel("empty"), "nobody hears this")
    async with broker.subscribe(room_channel("empty")) as sub:
        await broker.publish(room_channel("empty"), "heard")
        assert await next_event(sub) == "heard"


async def test_slow_subscriber_overflows_without_hurting_others(
    broker_url: str, redis_prefix: str
) -> None:
    async with Broker(broker_url, prefix=redis_prefix, queue_size=2) as broker:
        room = room_channel("busy")
        async with broker.subscribe(room) as slow, broker.subscribe(room) as fast:
            received = []
            for i in range(5):
                await broker.publish(room, str(i))
                received.append(await next_event(fast))
            assert received == ["0", "1", "2", "3", "4"]
            assert slow.overflowed
            with pytest.raises(SubscriberOverflow):
                await next_event(slow)


async def test_disconnect_ends_subscriptions(broker_url: str, redis_prefix: str) -> None:
    broker = Broker(broker_url, prefix=redis_prefix)
    await broker.connect()
    async with broker.subscribe(room_channel("closing")) as sub:
        await broker.disconnect()
        with anyio.fail_after(2):
            assert [event async for event in sub] == []


async def test_status_reports_backend(broker: Broker, broker_url: str) -> None:
    expected = "memory" if broker_url.startswith("memory") else "redis"
    assert broker.status() == {"backend": expected, "connected": True}


async def test_two_processes_share_messages_through_redis(
    redis_url: str, redis_prefix: str
) -> None:
    room = room_channel("shared")
    async with (
        Broker(redis_url, prefix=redis_prefix) as a,
        Broker(redis_url, prefix=redis_prefix) as b,
        a.subscribe(room) as on_a,
        b.subscribe(room) as on_b,
    ):
        await a.publish(room, "from a")
        await b.publish(room, "from b")
        for sub in (on_a, on_b):
            assert {await next_event(sub), await next_event(sub)} == {"from a", "from b"}


async def test_one_redis_subscription_per_channel(redis_url: str, redis_prefix: str) -> None:
    room = room_channel("counted")
    full = f"{redis_prefix}:{room}"
    client = aioredis.Redis.from_url(redis_url)
    async with Broker(redis_url, prefix=redis_prefix) as broker:
        async with broker.subscribe(room), broker.subscribe(room), broker.subscribe(room):
            assert await client.pubsub_numsub(full) == [(full.encode(), 1)]

        async def unsubscribed() -> bool:
            return bool(await client.pubsub_numsub(full) == [(full.encode(), 0)])

        await eventually(unsubscribed)
    await client.aclose()


async def test_redis_restart_resubscribes_and_asks_for_resync(
    restartable_redis: RestartableRedis, caplog: pytest.LogCaptureFixture
) -> None:
    room = room_channel("flaky")
    broker = Broker(restartable_redis.url, backoff_base=0.05, backoff_cap=0.2)

    async def down() -> bool:
        return not broker.status()["connected"]

    async with broker, broker.subscribe(room) as sub:
        await broker.publish(room, "before")
        assert await next_event(sub) == "before"

        restartable_redis.stop()
        started = time.monotonic()
        with pytest.raises(BrokerUnavailable):
            await broker.publish(room, "while down")
        assert time.monotonic() - started < 2.5
        await eventually(down)

        # Subscribing during the outage is allowed; it is served after recovery.
        async with broker.subscribe(room) as late:
            await anyio.sleep(0.3)  # a few reconnect attempts fail meanwhile
            assert "reconnect attempt 1 failed" in caplog.text
            restartable_redis.start()
            assert await next_event(sub, within=5) is RESYNC
            assert await next_event(late, within=5) is RESYNC
            assert broker.status() == {"backend": "redis", "connected": True}
            await broker.publish(room, "after")
            # The publish that failed during the outage may add one more RESYNC (it
            # is meant for other processes), depending on when it is repaired.
            for subscriber in (sub, late):
                event = await next_event(subscriber)
                if event is RESYNC:
                    event = await next_event(subscriber)
                assert event == "after"


async def test_publish_fails_fast_when_redis_is_unreachable(
    restartable_redis: RestartableRedis,
) -> None:
    async with Broker(restartable_redis.url, publish_timeout=0.5) as broker:
        restartable_redis.stop()
        started = time.monotonic()
        with pytest.raises(BrokerUnavailable):
            await broker.publish(room_channel("x"), "lost?")
        assert time.monotonic() - started < 1.0


async def test_failed_publish_makes_other_processes_resync(
    redis_url: str, redis_prefix: str
) -> None:
    room = room_channel("missed")
    # A publish timeout too short for any round trip makes the publish fail
    # while Redis is up, so only the repair path can produce RESYNC here.
    async with (
        Broker(redis_url, prefix=redis_prefix, publish_timeout=1e-6) as failing,
        Broker(redis_url, prefix=redis_prefix) as other,
        other.subscribe(room) as sub,
    ):
        with pytest.raises(BrokerUnavailable, match="timed out"):
            await failing.publish(room, "not delivered")
        events = [await next_event(sub)]
        if events[0] != RESYNC:  # the bytes may have left before the timeout hit
            events.append(await next_event(sub))
        assert events[-1] is RESYNC


async def test_connect_fails_clearly_without_redis(restartable_redis: RestartableRedis) -> None:
    restartable_redis.stop()
    with pytest.raises(BrokerUnavailable, match="cannot connect to redis"):
        await Broker(restartable_redis.url).connect()


async def test_resubscribing_quickly_keeps_the_subscription(broker: Broker) -> None:
    room = room_channel("revolving")
    for _ in range(20):
        async with broker.subscribe(room):
            pass
    async with broker.subscribe(room) as sub:
        await broker.publish(room, "still here")
        assert await next_event(sub) == "still here"


async def test_subscribe_before_connect_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="connect"):
        async with Broker("memory://").subscribe(room_channel("x")):
            pass


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported broker URL scheme 'kafka'"):
        Broker("kafka://secret@host")
    with pytest.raises(ValueError, match="prefix"):
        Broker("memory://", prefix="a{b}")
    with pytest.raises(ValueError, match="queue_size"):
        Broker("memory://", queue_size=0)
