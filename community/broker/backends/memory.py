"""In-process backend: one process, no services. The default."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from .base import BrokerBackend


class MemoryBackend(BrokerBackend):
    name = "memory"

    def __init__(self) -> None:
        # Unbounded on purpose: it is drained by the broker's listener on the same
        # event loop, which never blocks; bounding happens per subscriber.
        self._queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()
        self._channels: set[str] = set()

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        self._queue.put_nowait(None)

    async def reconnect(self, channels: set[str]) -> None:
        raise NotImplementedError("the memory backend cannot fail, so never reconnects")

    async def abort(self) -> None:
        pass

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)

    async def publish(self, channel: str, message: str) -> None:
        if channel in self._channels:
            self._queue.put_nowait((channel, message))

    async def listen(self) -> AsyncIterator[tuple[str, str]]:
        while (item := await self._queue.get()) is not None:
            yield item
