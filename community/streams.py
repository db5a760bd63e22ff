"""Model scoring by moderation workers over Redis Streams: the web side (`StreamScorer`).

A web process XADDs `{id, text, reply, ttl}` to one stream; `hearth worker` processes
read it in a consumer group, score micro-batches with the real model and PUBLISH the
scores on the asking process's reply channel (see `community/worker.py`).

`StreamScorer` satisfies `moderation.types.Scorer`: `submit` returns a future at once
and never blocks the event loop; the Pipeline waits for it at most `model_timeout`,
then the rules decide alone. Waiting futures live in a bounded map: they leave it when
answered, cancelled (the Pipeline cancels on timeout) or expired, so late replies are
dropped and nothing leaks. Message text on Redis is sensitive: requests are trimmed
(MAXLEN ~) and workers delete each entry once answered; no text is ever logged.

Every key carries the `{moderation}` hash tag, so on Redis Cluster they share a slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
import uuid
from concurrent.futures import Future
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from community.broker.channels import check_prefix
from community.settings import Settings
from moderation.inference import settle
from moderation.model import MAX_CHARS
from moderation.types import ScorerBusy

log = logging.getLogger(__name__)
CLOSE_TIMEOUT = 5.0

Scores = dict[str, float]
GROUP = "workers"
# A worker that has not beaten for this long is counted out.
HEARTBEAT_TTL_MS = 3000

# KEYS[1] the workers set. Returns the workers whose last beat has not lapsed.
# Redis's clock, not ours: web and worker hosts may disagree on the time.
COUNT_WORKERS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
"""


def moderation_key(prefix: str, suffix: str) -> str:
    """A moderation stream key; `suffix` is requests, workers or reply:<process>."""
    return f"{check_prefix(prefix)}:{{moderation}}:{suffix}"


class RemoteScoringFailed(Exception):
    """A worker answered that the model failed on this text (or the request was lost)."""


class ScorerUnavailable(Exception):
    """The scorer is closed or not started, or Redis refused the request."""


def _failed(error: BaseException) -> Future[Scores]:
    future: Future[Scores] = Future()
    future.set_exception(error)
    return future


class StreamScorer:
    """Scores texts through `hearth worker` processes; see the module docstring.

    `expire_after`: seconds a request may wait for its answer (the Pipeline's
    model_timeout plus a little); workers skip requests older than that. `max_pending`
    bounds the waiting futures (beyond it `submit` fails with ScorerBusy); `maxlen`
    roughly bounds the request stream. Call `start` and `submit` from the event loop.
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        expire_after: float,
        max_pending: int = 1024,
        maxlen: int = 10_000,
        poll: float = 1.0,
    ) -> None:
        if expire_after <= 0 or max_pending < 1 or maxlen < 1 or poll <= 0:
            raise ValueError("expire_after and poll must be > 0, max_pending and maxlen >= 1")
        self._url = url
        self._requests = moderation_key(prefix, "requests")
        self._workers_key = moderation_key(prefix, "workers")
        self.process = uuid.uuid4().hex[:16]
        self._reply = moderation_key(prefix, f"reply:{self.process}")
        self._expire_after = expire_after
        self._max_pending = max_pending
        self._maxlen = maxlen
        self._poll = poll
        self._ids = itertools.count(1)
        # request id -> (future, monotonic deadline); the only per-request state.
        self._waiting: dict[str, tuple[Future[Scores], float]] = {}
        self._outbox: list[tuple[str, str]] = []
        self._wake = asyncio.Event()
        self._state = "stopped"
        self._workers = 0
        self._counts = {"sent": 0, "answered": 0, "late": 0, "expired": 0, "failed": 0}
        self._client: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Connect and subscribe to this process's reply channel (confirmed by Redis).

        Raises RedisError if Redis cannot be reached, like the broker at start-up.
        """
        self._client = aioredis.Redis.from_url(
            self._url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5
        )
        self._count_workers: Any = self._client.register_script(COUNT_WORKERS)
        await self._subscribe()
        await self._refresh()
        self._tasks = [
            asyncio.create_task(self._send_loop(), name="streams-send"),
            asyncio.create_task(self._listen_loop(), name="streams-replies"),
            asyncio.create_task(self._watch_loop(), name="streams-watch"),
        ]

    async def aclose(self) -> None:
        """Stop the tasks, fail every waiting future, close the connections."""
        self._state = "closed"
        for task in self._tasks:
            task.cancel()
        # Bounded: a shutdown must never hang on a Redis read that ignores cancellation.
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=CLOSE_TIMEOUT)
        for future, _ in list(self._waiting.values()):
            settle(future, None, ScorerUnavailable("scorer closed"))
        self._waiting.clear()
        for closer in (self._pubsub, self._client):
            if closer is not None:
                with contextlib.suppress(TimeoutError, RedisError, OSError):
                    await asyncio.wait_for(closer.aclose(), CLOSE_TIMEOUT)

    def submit(self, text: str) -> Future[Scores]:
        """Queue `text` for a worker; never blocks. The future may already be failed."""
        if self._state == "closed" or self._client is None:
            return _failed(ScorerUnavailable(f"stream scorer is {self._state}"))
        if len(self._waiting) >= self._max_pending:
            return _failed(ScorerBusy(f"{self._max_pending} texts already waiting"))
        rid = str(next(self._ids))
        future: Future[Scores] = Future()
        self._waiting[rid] = (future, time.monotonic() + self._expire_after)
        # Cancelled by the Pipeline's timeout, answered or expired: it leaves the map.
        future.add_done_callback(lambda _: self._waiting.pop(rid, None))
        self._outbox.append((rid, text[:MAX_CHARS]))
        self._wake.set()
        return future

    def status(self) -> dict[str, object]:
        """For /healthz: ready | no_workers | unavailable | stopped | closed, and counts."""
        return {
            "state": self._state,
            "transport": "redis-streams",
            "workers": self._workers,
            "waiting": len(self._waiting),
            **self._counts,
        }

    # -- sending ------------------------------------------------------------------------

    async def _send_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._outbox = self._outbox, []
            try:
                await self._send(batch)
            except Exception as exc:  # keep the loop alive; these few fall to the rules
                log.error("sending to workers failed: %s", type(exc).__name__)
                for rid, _ in batch:
                    self._fail(rid, ScorerUnavailable("could not queue the request"))

    async def _send(self, batch: list[tuple[str, str]]) -> None:
        # Everything submitted in one loop tick goes out in one round trip.
        if not batch:
            return
        assert self._client is not None
        ttl = str(int(self._expire_after * 1000))
        pipe = self._client.pipeline(transaction=False)
        for rid, text in batch:
            fields = {"id": rid, "text": text, "reply": self.process, "ttl": ttl}
            pipe.xadd(self._requests, fields, maxlen=self._maxlen, approximate=True)  # type: ignore[arg-type]
        try:
            await pipe.execute()
        except RedisError as exc:
            log.warning("could not queue %d texts for workers: %s", len(batch), type(exc).__name__)
            for rid, _ in batch:
                self._fail(rid, ScorerUnavailable("redis refused the request"))
            return
        self._counts["sent"] += len(batch)

    # -- replies ------------------------------------------------------------------------

    async def _subscribe(self) -> None:
        assert self._client is not None
        if self._pubsub is not None:
            await self._pubsub.aclose()
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self._reply)

    async def _listen_loop(self) -> None:
        delay = 0.1
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
                if message is not None:
                    self._on_replies(str(message["data"]))
                delay = 0.1
            except (RedisError, OSError) as exc:
                # Replies sent meanwhile are lost; their futures expire and the rules decide.
                log.warning("reply channel lost (%s); resubscribing", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                try:
                    await self._subscribe()
                except (RedisError, OSError):
                    continue

    def _on_replies(self, data: str) -> None:
        try:
            replies = json.loads(data)["replies"]
        except (ValueError, KeyError, TypeError):
            log.warning("malformed reply on %s", self._reply)
            return
        for reply in replies if isinstance(replies, list) else []:
            try:
                self._on_reply(reply)
            except (ValueError, TypeError, AttributeError):
                log.warning("malformed reply on %s", self._reply)

    def _on_reply(self, reply: dict[str, Any]) -> None:
        rid = str(reply.get("id"))
        entry = self._waiting.get(rid)
        if entry is None:
            self._counts["late"] += 1  # the rules already decided
        elif "scores" in reply:
            scores = {str(k): float(v) for k, v in reply["scores"].items()}
            settle(entry[0], scores, None)
            self._counts["answered"] += 1
        else:
            self._fail(rid, RemoteScoringFailed(str(reply.get("error", "failed"))))

    def _fail(self, rid: str, error: Exception) -> None:
        entry = self._waiting.get(rid)
        if entry is not None:
            self._counts["failed"] += 1
            settle(entry[0], None, error)

    # -- workers and expiry -------------------------------------------------------------

    async def _watch_loop(self) -> None:
        while True:
            await asyncio.sleep(self._poll)
            self._expire()
            await self._refresh()

    async def _refresh(self) -> None:
        try:
            self._workers = int(await self._count_workers(keys=[self._workers_key]))
        except (RedisError, OSError):
            self._state = "unavailable"
            return
        self._state = "ready" if self._workers else "no_workers"

    def _expire(self) -> None:
        now = time.monotonic()
        for rid, (future, deadline) in list(self._waiting.items()):
            if now > deadline:
                self._counts["expired"] += 1
                settle(future, None, TimeoutError("no worker answered in time"))
                self._waiting.pop(rid, None)


async def start_stream_scorer(settings: Settings, prefix: str) -> StreamScorer | None:
    """The web side's StreamScorer when HEARTH_MODERATION_WORKERS=streams on a redis://
    broker; None otherwise (the in-process model path stays the default)."""
    if settings.moderation_workers != "streams" or not settings.broker_url.startswith(
        ("redis://", "rediss://")
    ):
        return None
    # A little past the Pipeline's timeout: workers skip what nobody waits for any more.
    expire_after = settings.model_timeout_ms / 1000 + 0.1
    scorer = StreamScorer(settings.broker_url, prefix=prefix, expire_after=expire_after)
    await scorer.start()
    return scorer
