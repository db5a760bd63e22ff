"""Coalesce bursts of changes into one action per key per window.

Presence is the user: when 40 people reconnect after a network blip, a room should
get one `presence` event, not 40. The websocket layer calls `mark(slug)` on every
join and leave; `flush(slug)` then reads the members and publishes one event.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

K = TypeVar("K")


class Coalescer(Generic[K]):
    """Call `flush(key)` at most once per `delay` seconds for keys marked meanwhile.

    The first `mark` of a quiet period starts a timer; marks until it fires are
    merged. A failing `flush` is logged and does not stop later flushes.
    """

    def __init__(self, flush: Callable[[K], Awaitable[None]], *, delay: float = 1.0) -> None:
        if delay < 0:
            raise ValueError("delay must not be negative")
        self._flush = flush
        self._delay = delay
        self._dirty: set[K] = set()
        self._timer: asyncio.Task[None] | None = None

    def mark(self, key: K) -> None:
        """Note that `key` changed. Never blocks; must run inside the event loop."""
        self._dirty.add(key)
        if self._timer is None or self._timer.done():
            self._timer = asyncio.create_task(self._run(), name="coalescer")

    async def _run(self) -> None:
        await asyncio.sleep(self._delay)
        await self._flush_dirty()
        if self._dirty:  # marked while flushing: those get their own window
            self._timer = asyncio.create_task(self._run(), name="coalescer")

    async def _flush_dirty(self) -> None:
        keys, self._dirty = self._dirty, set()
        for key in keys:
            try:
                await self._flush(key)
            except Exception as exc:
                log.warning("coalesced flush failed (%s)", type(exc).__name__)

    async def aclose(self) -> None:
        """Flush what is pending now, then stop."""
        if self._timer is not None and not self._timer.done():
            self._timer.cancel()
            await asyncio.gather(self._timer, return_exceptions=True)
        self._timer = None
        await self._flush_dirty()
