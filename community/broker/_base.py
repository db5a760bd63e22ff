"""The `Broker` front object: local fan-out, bounded queues, supervised listener.

The backend holds one subscription per channel for the whole process; this object
fans each message out to the local subscribers of that channel. A slow subscriber
never slows the others: its queue is bounded and it is cut off when the queue fills.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from urllib.parse import urlsplit

from .backends.base import BrokerBackend
from .channels import check_prefix
from .errors import BrokerUnavailable
from .subscriber import RESYNC, Event, Subscriber

log = logging.getLogger(__name__)

# Published in place of a message that could not be published, once the backend is
# back; subscribers turn it into RESYNC. Application messages are JSON text, which
# never starts with NUL, so it cannot collide with one.
_RESYNC_WIRE = "\x00resync"


def _backend_for(url: str) -> BrokerBackend:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        from .backends.memory import MemoryBackend

        return MemoryBackend()
    if scheme in ("redis", "rediss"):
        from .backends.redis import RedisBackend

        return RedisBackend(url)
    # The URL itself is not echoed: it may carry a password.
    raise ValueError(f"unsupported broker URL scheme {scheme!r}: use memory:// or redis://")


class Broker:
    """Publish/subscribe across processes. Use `async with Broker(url) as broker`.

    `url`: `memory://` (one process) or `redis://` / `rediss://`.
    `prefix`: namespace for channel names (several apps or tests on one Redis).
    `queue_size`: events a subscriber may lag behind before it is cut off.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "hearth",
        queue_size: int = 256,
        publish_timeout: float = 2.0,
        backoff_base: float = 0.1,
        backoff_cap: float = 10.0,
    ) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        self._backend = _backend_for(url)
        self._prefix = check_prefix(prefix) + ":"
        self._queue_size = queue_size
        self._publish_timeout = publish_timeout
        self._backoff = (backoff_base, backoff_cap)
        self._subscribers: dict[str, set[Subscriber]] = {}
        # Serialises backend (un)subscribe and reconnect so they cannot interleave.
        self._lock = asyncio.Lock()
        self._listener: asyncio.Task[None] | None = None
        self._repairer: asyncio.Task[None] | None = None
        self._connected = False
        # Channels on which a publish failed: their subscribers everywhere must resync.
        self._missed: set[str] = set()

    async def connect(self) -> None:
        """Connect; raises `BrokerUnavailable` if the backend cannot be reached.

        Failing at start-up makes a wrong URL obvious; later failures are recovered.
        """
        try:
            await self._backend.connect()
        except Exception as exc:
            raise BrokerUnavailable(f"cannot connect to {self._backend.name}") from exc
        self._connected = True
        self._listener = asyncio.create_task(self._supervise(), name="broker-listener")
        self._repairer = asyncio.create_task(self._repair(), name="broker-repair")

    async def disconnect(self) -> None:
        """Stop listening; every subscriber's iteration ends. Idempotent."""
        for task in (self._listener, self._repairer):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._listener = self._repairer = None
        await self._backend.disconnect()
        self._connected = False
        for subscribers in self._subscribers.values():
            for subscriber in subscribers:
                subscriber._close()

    async def __aenter__(self) -> Broker:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.disconnect()

    def status(self) -> dict[str, str | bool]:
        """For /healthz: which backend, and whether its subscription is up."""
        return {"backend": self._backend.name, "connected": self._connected}

    async def publish(self, channel: str, message: str) -> None:
        """Publish to every subscriber of `channel` in every process.

        Raises `BrokerUnavailable` within `publish_timeout` if the backend is down;
        the channel's subscribers in every process then get `RESYNC` once it is back.
        """
        full = self._prefix + channel
        try:
            async with asyncio.timeout(self._publish_timeout):
                await self._backend.publish(full, message)
        except (TimeoutError, BrokerUnavailable) as exc:
            self._missed.add(full)
            if isinstance(exc, BrokerUnavailable):
                raise
            raise BrokerUnavailable(f"{self._backend.name} publish timed out") from exc

    async def _repair(self, interval: float = 0.5) -> None:
        """Tell the subscribers of channels with a failed publish to resync."""
        while True:
            await asyncio.sleep(interval)
            for channel in list(self._missed):
                try:
                    # Not publish_timeout: this runs in the background, no one waits.
                    async with asyncio.timeout(5.0):
                        await self._backend.publish(channel, _RESYNC_WIRE)
                except (TimeoutError, BrokerUnavailable):
                    break  # still down; try again later
                self._missed.discard(channel)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscriber]:
        """Subscribe for the duration of the block.

        Never fails because the backend is down: the channel is subscribed when the
        backend recovers, and the subscriber then receives `RESYNC`.
        """
        if self._listener is None:
            raise RuntimeError("Broker.connect() must be called before subscribe()")
        full = self._prefix + channel
        subscriber = Subscriber(channel, self._queue_size)
        try:
            # Inside the try: a caller cancelled while subscribing must not leak.
            await self._add(full, subscriber)
            yield subscriber
        finally:
            await self._remove(full, subscriber)

    async def _add(self, channel: str, subscriber: Subscriber) -> None:
        async with self._lock:
            subscribers = self._subscribers.setdefault(channel, set())
            subscribers.add(subscriber)
            if len(subscribers) == 1 and self._connected:
                try:
                    await self._backend.subscribe(channel)
                except Exception as exc:
                    log.warning("broker subscribe failed (%s); forcing reconnect", _name(exc))
                    await self._backend.abort()

    async def _remove(self, channel: str, subscriber: Subscriber) -> None:
        async with self._lock:
            subscribers = self._subscribers.get(channel, set())
            subscribers.discard(subscriber)
            if subscribers:
                return
            self._subscribers.pop(channel, None)
            if self._connected:
                try:
                    await self._backend.unsubscribe(channel)
                except Exception as exc:
                    # Harmless: the stray subscription is dropped at the next reconnect
                    # and messages for channels without subscribers are ignored.
                    log.info("broker unsubscribe failed (%s)", _name(exc))

    def _fan_out(self, channel: str, event: Event) -> None:
        for subscriber in list(self._subscribers.get(channel, ())):
            if not subscriber._deliver(event):
                # Stop feeding it; it raises SubscriberOverflow on its next read.
                self._subscribers[channel].discard(subscriber)
                log.warning("subscriber overflowed on %s; it must resume", channel)

    async def _supervise(self) -> None:
        """Run the listener forever, recovering from every backend failure."""
        while True:
            try:
                async for channel, message in self._backend.listen():
                    self._fan_out(channel, RESYNC if message == _RESYNC_WIRE else message)
                return  # the backend was disconnected on purpose
            except Exception as exc:
                # Never the message: only the kind of failure is logged.
                log.error("broker listener failed (%s); reconnecting", _name(exc))
            self._connected = False
            await self._recover()

    async def _recover(self) -> None:
        base, cap = self._backoff
        attempt = 0
        while True:
            # Exponential backoff with jitter so that many processes do not reconnect
            # in lockstep after a Redis restart.
            delay = min(cap, base * 2**attempt)
            await asyncio.sleep(random.uniform(delay / 2, delay))
            try:
                async with self._lock:
                    await self._backend.reconnect(set(self._subscribers))
                    self._connected = True
            except Exception as exc:
                attempt += 1
                log.warning("broker reconnect attempt %d failed (%s)", attempt, _name(exc))
                continue
            log.warning("broker reconnected after %d failed attempts", attempt)
            for channel in list(self._subscribers):
                self._fan_out(channel, RESYNC)
            return


def _name(exc: BaseException) -> str:
    # Redis errors describe the connection, never a payload, so they are safe to log.
    return f"{type(exc).__name__}: {exc}"[:200]
