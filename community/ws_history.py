"""Stored messages for room sockets: one database read per room and position at once.

After a RESYNC (Redis came back, or a publish failed in some process) every local
socket of the room replays from its last id, and those are usually all the same id.
Sockets asking for the same page while its read is in flight share that read and
its encoded frames, so a resync costs one query per room per process, not one per
socket (on a CPU-starved machine a wave of resyncs used to multiply the load).

The same goes for filling a hole in live delivery (`gap_page`): every socket of the
room sees the same hole at the same moment (a message published out of order, or a
held one that was never published), so they share one read of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from community.actions.messages import history, last_seq, visible_in_seq_range
from community.db import run_db
from community.events import dumps, message_event
from community.models import Message, Room
from community.ws_outbox import Frame, text_frame

REPLAY_PAGE = 500
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Row:
    msg_id: int
    seq: int | None
    frame: Frame


@dataclass(frozen=True, slots=True)
class Page:
    """Visible messages in id order, and the room's `last_seq` read just before them.

    Every message numbered up to `floor` was committed before the rows were read, so
    the ones visible then are in this page or the pages after it: a socket that has
    replayed to a short page has nothing to wait for at or below `floor`.
    """

    rows: list[Row]
    floor: int


_in_flight: dict[tuple[Any, ...], asyncio.Task[Any]] = {}


async def stored_page(engine: Engine, room: Room, after: int) -> Page:
    """Up to REPLAY_PAGE visible messages of `room` after `after` (see `history`)."""

    def read(s: Session) -> Page:
        floor = last_seq(s, room)  # first: read after the rows it could skip some
        return Page(_rows(room, history(s, room, after=after, limit=REPLAY_PAGE)), floor)

    return await _shared((engine, "after", room.id, after), lambda: run_db(engine, read))


async def gap_page(engine: Engine, room: Room, first: int, stop: int) -> list[Row]:
    """Up to REPLAY_PAGE visible messages numbered `first` to `stop - 1`, in order."""

    def read(s: Session) -> list[Row]:
        found = visible_in_seq_range(s, room, first=first, stop=stop, limit=REPLAY_PAGE)
        return _rows(room, found)

    return await _shared((engine, "gap", room.id, first, stop), lambda: run_db(engine, read))


def _rows(room: Room, found: list[tuple[Message, str]]) -> list[Row]:
    return [
        Row(msg.id, msg.room_seq, text_frame(dumps(message_event(msg, room.slug, handle))))
        for msg, handle in found
        if msg.id is not None
    ]


async def _shared(key: tuple[Any, ...], start: Callable[[], Coroutine[Any, Any, T]]) -> T:
    task = _in_flight.get(key)
    if task is None:
        task = asyncio.ensure_future(start())
        _in_flight[key] = task
        task.add_done_callback(lambda t: _settled(key, t))
    # Shielded: one socket going away must not cancel the read the others wait for.
    result: T = await asyncio.shield(task)
    return result


def _settled(key: tuple[Any, ...], task: asyncio.Task[Any]) -> None:
    _in_flight.pop(key, None)
    if not task.cancelled():
        task.exception()  # retrieved here, so a read nobody awaits any more is not logged
