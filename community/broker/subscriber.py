"""What a local subscriber receives: messages, `RESYNC`, or an overflow error."""

from __future__ import annotations

import asyncio
import enum
from collections import deque
from typing import Any, Final

from .errors import SubscriberOverflow


class Resync(enum.Enum):
    """Yielded by a subscriber when messages on its channel may have been missed.

    Sent after the subscription recovered from a backend failure, and when a publish
    to the channel failed in some process (once the backend accepts publishes again).
    The consumer fetches what it missed from the database, after its last seen id. It
    is only sent while the subscription is live, so such a fetch misses nothing.
    """

    RESYNC = "resync"


RESYNC: Final = Resync.RESYNC


class _Closed(enum.Enum):
    CLOSED = "closed"


Event = str | Resync


class Subscriber:
    """One local consumer of a channel. Iterate with `async for`, or take `batch()`es.

    Yields message strings and `RESYNC`. Raises `SubscriberOverflow` once it has
    fallen `queue_size` events behind; ends when the broker disconnects.

    A deque and one waiter future rather than an `asyncio.Queue`: the broker hands
    every event of a room to every local subscriber, so this is the per-delivery
    hot path, and a consumer that wakes up takes everything queued at once.
    """

    def __init__(self, channel: str, queue_size: int) -> None:
        self.channel = channel
        self.overflowed = False
        self._size = queue_size
        self._items: deque[Event | _Closed] = deque()
        self._waiter: asyncio.Future[None] | None = None

    def _deliver(self, event: Event | _Closed) -> bool:
        """Queue an event without waiting; False (and overflowed) when full."""
        if len(self._items) >= self._size:
            self.overflowed = True
            ok = False
        else:
            self._items.append(event)
            ok = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        return ok

    def _close(self) -> None:
        # A full queue means the consumer is not waiting, so it will see overflow.
        self._deliver(_Closed.CLOSED)

    async def batch(self, limit: int = 64) -> list[Event]:
        """Wait for events; return up to `limit` of them, oldest first; [] at the end.

        Raises `SubscriberOverflow` like iteration does.
        """
        while not self._items and not self.overflowed:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        # Checked before the queue: an overflowed subscriber's backlog is stale, the
        # client will be replayed from the database anyway.
        if self.overflowed:
            raise SubscriberOverflow(f"subscriber of {self.channel} fell behind")
        items = self._items
        if len(items) <= limit and not isinstance(items[-1], _Closed):
            # The usual case, one or a few events. CLOSED is only ever the last item.
            everything: list[Any] = list(items)
            items.clear()
            return everything
        out = list[Event]()
        while items and len(out) < limit:
            event = items[0]
            if isinstance(event, _Closed):
                break  # left in place: every later call returns [] too
            items.popleft()
            out.append(event)
        return out

    def __aiter__(self) -> Subscriber:
        return self

    async def __anext__(self) -> Event:
        events = await self.batch(1)
        if not events:
            raise StopAsyncIteration
        return events[0]
