"""What a local subscriber receives: messages, `RESYNC`, or an overflow error."""

from __future__ import annotations

import asyncio
import enum
from typing import Final

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
    """One local consumer of a channel. Iterate with `async for`.

    Yields message strings and `RESYNC`. Raises `SubscriberOverflow` once it has
    fallen `queue_size` events behind; ends when the broker disconnects.
    """

    def __init__(self, channel: str, queue_size: int) -> None:
        self.channel = channel
        self.overflowed = False
        self._queue: asyncio.Queue[Event | _Closed] = asyncio.Queue(maxsize=queue_size)

    def _deliver(self, event: Event | _Closed) -> bool:
        """Queue an event without waiting; False (and overflowed) when full."""
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            return False
        return True

    def _close(self) -> None:
        # A full queue means the consumer is not waiting, so it will see overflow.
        self._deliver(_Closed.CLOSED)

    def __aiter__(self) -> Subscriber:
        return self

    async def __anext__(self) -> Event:
        # Checked before the queue: an overflowed subscriber's backlog is stale, the
        # client will be replayed from the database anyway.
        if self.overflowed:
            raise SubscriberOverflow(f"subscriber of {self.channel} fell behind")
        event = await self._queue.get()
        if isinstance(event, _Closed):
            raise StopAsyncIteration
        return event
