from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

from community.broker import Event, Subscriber


async def next_event(subscriber: Subscriber, within: float = 2.0) -> Event:
    with anyio.fail_after(within):
        return await subscriber.__anext__()


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 3.0) -> None:
    """Poll `check` until true; fail after `within` seconds.

    Polling is the point here: the state observed (Redis, a status flag) has no event.
    """
    with anyio.fail_after(within):
        while not await check():  # noqa: ASYNC110
            await anyio.sleep(0.02)
