"""Stored messages for room sockets: one database read per room and position at once.

After a RESYNC (Redis came back, or a publish failed in some process) every local
socket of the room replays from its last id, and those are usually all the same id.
Sockets asking for the same page while its read is in flight share that read and
its encoded frames, so a resync costs one query per room per process, not one per
socket (on a CPU-starved machine a wave of resyncs used to multiply the load).
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.engine import Engine

from community.actions.messages import history
from community.db import run_db
from community.events import dumps, message_event
from community.models import Room
from community.ws_outbox import Frame, text_frame

REPLAY_PAGE = 500
Page = list[tuple[int, Frame]]  # (message id, its frame), in id order

_in_flight: dict[tuple[Any, ...], asyncio.Task[Page]] = {}


async def stored_page(engine: Engine, room: Room, after: int) -> Page:
    """Up to REPLAY_PAGE visible messages of `room` after `after` (see `history`)."""
    key = (engine, room.id, after)
    task = _in_flight.get(key)
    if task is None:
        task = asyncio.ensure_future(_read(engine, room, after))
        _in_flight[key] = task
        task.add_done_callback(lambda t: _settled(key, t))
    # Shielded: one socket going away must not cancel the read the others wait for.
    return await asyncio.shield(task)


async def _read(engine: Engine, room: Room, after: int) -> Page:
    rows = await run_db(engine, lambda s: history(s, room, after=after, limit=REPLAY_PAGE))
    return [
        (msg.id, text_frame(dumps(message_event(msg, room.slug, handle))))
        for msg, handle in rows
        if msg.id is not None
    ]


def _settled(key: tuple[Any, ...], task: asyncio.Task[Page]) -> None:
    _in_flight.pop(key, None)
    if not task.cancelled():
        task.exception()  # retrieved here, so a read nobody awaits any more is not logged
