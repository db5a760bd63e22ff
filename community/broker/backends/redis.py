"""Redis pub/sub backend (redis.asyncio), for several processes or hosts.

Two connections: a pooled client for PUBLISH and one dedicated pub/sub connection.
The pub/sub connection never retries on its own: redis-py would otherwise reconnect
and resubscribe silently, hiding the gap in which messages were lost. Failures
surface from `listen` so the broker can resubscribe and tell clients to resync.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from ..errors import BrokerUnavailable
from .base import BrokerBackend


def redis_client(url: str, *, timeout: float = 1.0, retries: int = 1) -> aioredis.Redis:
    """A client that fails fast: short timeouts, immediate retries only.

    One immediate retry lets a pooled connection that died with a Redis restart be
    replaced transparently; anything longer is the caller's decision.
    """
    return aioredis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        socket_keepalive=True,
        retry=Retry(NoBackoff(), retries),
    )


class RedisBackend(BrokerBackend):
    name = "redis"

    def __init__(self, url: str, *, timeout: float = 1.0, ping_interval: float = 5.0) -> None:
        self._publisher = redis_client(url, timeout=timeout)
        self._listener = redis_client(url, timeout=timeout, retries=0)
        self._pubsub: Any = None
        self._timeout = timeout
        # SUBSCRIBE confirmations awaited by `subscribe`, resolved by `listen`.
        self._pending: dict[str, asyncio.Future[None]] = {}
        # A half-open TCP link never errors; a missing PONG is how we notice it.
        self._ping_interval = ping_interval

    async def connect(self) -> None:
        await self.reconnect(set())

    async def disconnect(self) -> None:
        await self._close_pubsub()
        await self._listener.aclose()
        await self._publisher.aclose()

    async def reconnect(self, channels: set[str]) -> None:
        """Open a fresh pub/sub connection; return once every channel is confirmed.

        Waiting for the confirmations matters: the broker tells subscribers to resync
        as soon as this returns, and a resync must not miss what is published next.
        """
        await self._close_pubsub()
        pubsub: Any = self._listener.pubsub()
        try:
            await pubsub.connect()
            if channels:
                await pubsub.subscribe(*sorted(channels))
                await self._await_confirmations(pubsub, set(channels))
        except BaseException:
            await pubsub.aclose()
            raise
        self._pubsub = pubsub

    async def _await_confirmations(self, pubsub: Any, channels: set[str]) -> None:
        # Messages read here are dropped: the subscribers are about to resync anyway.
        async with asyncio.timeout(self._timeout + len(channels) / 1000):
            while channels:
                item = await pubsub.get_message(timeout=self._timeout)
                if item is not None and item["type"] == "subscribe":
                    channels.discard(item["channel"])

    async def abort(self) -> None:
        if self._pubsub is not None and self._pubsub.connection is not None:
            await self._pubsub.connection.disconnect(nowait=True)

    async def subscribe(self, channel: str) -> None:
        """Return once Redis confirms, so nothing published afterwards is missed.

        Precondition: `listen` is running (it reads the confirmation).
        """
        pubsub = self._connected_pubsub()
        confirmed = asyncio.get_running_loop().create_future()
        self._pending[channel] = confirmed
        try:
            await pubsub.subscribe(channel)
            async with asyncio.timeout(self._timeout):
                await confirmed
        finally:
            self._pending.pop(channel, None)

    async def unsubscribe(self, channel: str) -> None:
        await self._connected_pubsub().unsubscribe(channel)

    async def publish(self, channel: str, message: str) -> None:
        try:
            await self._publisher.publish(channel, message)
        except (RedisError, OSError) as exc:
            raise BrokerUnavailable(f"Redis publish failed: {type(exc).__name__}") from exc

    async def listen(self) -> AsyncIterator[tuple[str, str]]:
        try:
            async for item in self._read():
                yield item
        except BaseException:
            for waiter in self._pending.values():
                if not waiter.done():
                    waiter.set_exception(ConnectionError("Redis pub/sub failed"))
            raise

    async def _read(self) -> AsyncIterator[tuple[str, str]]:
        pubsub = self._connected_pubsub()
        last_seen = last_ping = time.monotonic()
        while True:
            item = await pubsub.get_message(timeout=min(1.0, self._ping_interval))
            now = time.monotonic()
            if item is not None:
                last_seen = now
                if item["type"] == "message":
                    yield item["channel"], item["data"]
                elif item["type"] == "subscribe":
                    self._confirm(item["channel"])
            if now - last_seen > 3 * self._ping_interval:
                raise ConnectionError("Redis pub/sub connection stopped answering pings")
            if now - last_ping >= self._ping_interval:
                last_ping = now
                await pubsub.ping()

    def _confirm(self, channel: str) -> None:
        waiter = self._pending.get(channel)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _connected_pubsub(self) -> Any:
        if self._pubsub is None:
            raise ConnectionError("Redis pub/sub is reconnecting")
        return self._pubsub

    async def _close_pubsub(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            await pubsub.aclose()
