"""Who is in a room, across every process: memory:// or redis://.

Each process keeps the entries of its own connections and re-asserts them every
`refresh` seconds with an expiry of `ttl`; a process that dies stops refreshing and
its entries lapse. Readers ignore (and prune) lapsed entries, so a crash never leaves
ghosts for longer than `ttl`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit

from .channels import check_prefix, room_key
from .errors import BrokerUnavailable

log = logging.getLogger(__name__)


class PresenceStore(Protocol):
    """Where entries live. An entry is an opaque string unique to one connection."""

    async def touch(self, key: str, entries: list[str]) -> int:
        """(Re)add entries with a fresh expiry; return how many lapsed ones were pruned."""
        ...

    async def remove(self, key: str, entry: str) -> None: ...

    async def live(self, key: str) -> list[str]: ...

    async def close(self) -> None: ...


class MemoryPresenceStore:
    """One process: nothing can lapse, so there is no expiry."""

    def __init__(self) -> None:
        self._rooms: dict[str, set[str]] = {}

    async def touch(self, key: str, entries: list[str]) -> int:
        self._rooms.setdefault(key, set()).update(entries)
        return 0

    async def remove(self, key: str, entry: str) -> None:
        entries = self._rooms.get(key, set())
        entries.discard(entry)
        if not entries:
            self._rooms.pop(key, None)

    async def live(self, key: str) -> list[str]:
        return list(self._rooms.get(key, ()))

    async def close(self) -> None:
        self._rooms.clear()


def _store_for(url: str, ttl: float) -> PresenceStore:
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryPresenceStore()
    if scheme in ("redis", "rediss"):
        from .backends.redis_presence import RedisPresenceStore

        return RedisPresenceStore(url, ttl_ms=int(ttl * 1000))
    raise ValueError(f"unsupported presence URL scheme {scheme!r}: use memory:// or redis://")


class Presence:
    """Room membership by handle. Use `async with Presence(url) as presence`.

    `on_change(room)` is called when this process's refresh pruned lapsed entries
    (of a dead process) from a room it has people in. Only the pruning process is
    told, so the callback should publish a presence update to the whole room.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "hearth",
        ttl: float = 30.0,
        refresh: float | None = None,
        on_change: Callable[[str], None] | None = None,
    ) -> None:
        refresh = ttl / 3 if refresh is None else refresh
        if not 0 < refresh < ttl:
            raise ValueError("need 0 < refresh < ttl")
        self._store = _store_for(url, ttl)
        self._prefix = check_prefix(prefix) + ":"
        self._refresh = refresh
        self._on_change = on_change
        # Entries are unique per process instance, so two processes never collide.
        self._instance = uuid.uuid4().hex
        self._local: dict[str, dict[str, str]] = {}  # room -> conn_id -> handle
        self._heartbeat: asyncio.Task[None] | None = None
        self._healthy = True

    async def connect(self) -> None:
        self._heartbeat = asyncio.create_task(self._beat(), name="presence-heartbeat")

    async def disconnect(self) -> None:
        """Stop refreshing and withdraw this process's entries (a graceful exit)."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
        for room, conns in list(self._local.items()):
            for conn_id in list(conns):
                await self.leave(room, conn_id)
        await self._store.close()

    async def __aenter__(self) -> Presence:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.disconnect()

    async def join(self, room: str, conn_id: str, handle: str) -> None:
        """Record a connection. Never raises for a Redis outage: the refresh re-adds it."""
        key = self._key(room)
        self._local.setdefault(room, {})[conn_id] = handle
        await self._quietly(self._store.touch(key, [self._entry(conn_id, handle)]))

    async def leave(self, room: str, conn_id: str) -> None:
        """Forget a connection; unknown ones are ignored. If Redis is down, it lapses."""
        handle = self._local.get(room, {}).pop(conn_id, None)
        if not self._local.get(room):
            self._local.pop(room, None)
        if handle is not None:
            entry = self._entry(conn_id, handle)
            await self._quietly(self._store.remove(self._key(room), entry))

    async def members(self, room: str) -> list[str]:
        """Sorted distinct handles in `room`; someone with two tabs appears once.

        Raises `BrokerUnavailable` if Redis cannot be read.
        """
        try:
            entries = await self._store.live(self._key(room))
        except Exception as exc:
            raise BrokerUnavailable(f"presence unavailable: {type(exc).__name__}") from exc
        return sorted({json.loads(entry)[2] for entry in entries})

    def _key(self, room: str) -> str:
        return self._prefix + room_key(room, "presence")

    def _entry(self, conn_id: str, handle: str) -> str:
        return json.dumps([self._instance, conn_id, handle], separators=(",", ":"))

    async def _quietly(self, operation: Awaitable[object]) -> None:
        # Presence is best effort: a blip must not break a conversation.
        try:
            await operation
        except Exception as exc:
            log.warning("presence update failed (%s); will retry", type(exc).__name__)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._refresh)
            try:
                await self._refresh_all()
            except Exception as exc:
                if self._healthy:
                    log.warning("presence refresh failed (%s)", type(exc).__name__)
                self._healthy = False
            else:
                if not self._healthy:
                    log.warning("presence refresh recovered")
                self._healthy = True

    async def _refresh_all(self) -> None:
        for room, conns in list(self._local.items()):
            entries = [self._entry(conn_id, handle) for conn_id, handle in conns.items()]
            pruned = await self._store.touch(self._key(room), entries)
            if pruned and self._on_change is not None:
                self._on_change(room)
