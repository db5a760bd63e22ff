"""`hearth worker`: scores texts from the moderation stream in micro-batches.

One loop on one Redis connection: XREADGROUP up to `count` requests (blocking ~10 ms
when idle), hand them to an `InferenceWorker` (its thread batches them through the
model), PUBLISH each web process its scores, then XACK and XDEL (request text does
not stay on Redis). Requests older than their `ttl` are dropped unscored: the web
side has stopped waiting and the rules decided alone.

A worker that dies leaves its read-but-unanswered entries pending; the others take
them over with XAUTOCLAIM once idle for `claim_idle_ms`, and drop entries already
delivered `max_deliveries` times (logging ids only). Workers announce themselves by
beating in a sorted set scored by expiry on Redis's clock (`/healthz` counts them).

A little over 300 lines: the loop and the process around it (model loading, signals)
are read together when something goes wrong in production.
"""

from __future__ import annotations

import functools
import json
import logging
import queue
import signal
import socket
import threading
import time
import uuid
from concurrent.futures import Future
from types import FrameType
from typing import Any

import redis
from redis.exceptions import RedisError, ResponseError

from community.scoring import model_loader
from community.settings import Settings
from community.streams import GROUP, HEARTBEAT_TTL_MS, moderation_key
from moderation.inference import InferenceWorker
from moderation.model import ModelError

log = logging.getLogger("hearth.worker")

Scores = dict[str, float]
Entry = tuple[str, dict[str, str]]

# KEYS[1] the workers set; ARGV[1] this worker, ARGV[2] ttl in ms. Returns Redis's now (ms).
_BEAT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], 120000)
return now
"""


class StreamWorker:
    """Serves the request stream until `stop` is set; see the module docstring.

    `scorer` must be started (state "ready" before it beats). Single-threaded on
    Redis: only `run`'s thread touches the client; model threads hand results back
    through a queue.
    """

    def __init__(
        self,
        client: redis.Redis,
        scorer: InferenceWorker,
        *,
        prefix: str,
        consumer: str | None = None,
        count: int = 32,
        block_ms: int = 10,
        claim_idle_ms: int = 5000,
        max_deliveries: int = 3,
        max_in_flight: int = 64,
    ) -> None:
        if min(count, block_ms, claim_idle_ms, max_deliveries, max_in_flight) < 1:
            raise ValueError("count, block_ms, claim_idle_ms, max_deliveries must be >= 1")
        self.client = client
        self.scorer = scorer
        self.prefix = prefix
        self.stream = moderation_key(prefix, "requests")
        self.workers_key = moderation_key(prefix, "workers")
        self.consumer = consumer or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        self.count, self.block_ms = count, block_ms
        self.claim_idle_ms, self.max_deliveries = claim_idle_ms, max_deliveries
        self.max_in_flight = max_in_flight
        self.counts = {"scored": 0, "failed": 0, "expired": 0, "dropped": 0, "claimed": 0}
        self._beat: Any = client.register_script(_BEAT)
        self._done: queue.Queue[tuple[str, dict[str, str], Future[Scores]]] = queue.Queue()
        self._in_flight: set[str] = set()
        self._finished: list[str] = []  # entry ids to XACK + XDEL on the next flush
        self._clock_offset_ms = 0.0  # Redis's clock minus ours
        self._next_beat = self._next_claim = 0.0

    def run(self, stop: threading.Event) -> None:
        """Serve until `stop` is set, then answer what is in flight and sign off."""
        delay, grouped = 0.1, False
        while not stop.is_set():
            try:
                if not grouped:
                    self.ensure_group()  # here, so a worker started before Redis waits
                    grouped = True
                self.step()
                delay = 0.1
            except Exception as exc:
                # Never crash: under a Procfile runner one exiting process stops them all.
                # The type only: an exception's text could quote a message.
                log.warning("worker error (%s); retrying in %.1fs", type(exc).__name__, delay)
                stop.wait(delay)
                delay = min(delay * 2, 5.0)
        self._sign_off()

    def step(self) -> None:
        """One turn: beat, claim the dead's entries, answer finished ones, read new ones."""
        now = time.monotonic()
        if now >= self._next_beat:
            self._heartbeat()
            self._next_beat = now + HEARTBEAT_TTL_MS / 3000
        if now >= self._next_claim:
            self._claim()
            self._next_claim = now + max(0.2, self.claim_idle_ms / 2000)
        self._flush()
        room = self.max_in_flight - len(self._in_flight)
        # With texts being scored, poll without blocking and wait on the model instead,
        # so that answers go out as soon as they are ready.
        block = None if self._in_flight else self.block_ms
        entries = self._read(min(self.count, room), block) if room > 0 else []
        self._dispatch(entries)
        if not entries and self._in_flight:
            self._wait_done(self.block_ms / 1000)

    # -- reading ------------------------------------------------------------------------

    def ensure_group(self) -> None:
        # From "0": entries left by a previous life are read, then expired and deleted.
        try:
            self.client.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _read(self, count: int, block: int | None) -> list[Entry]:
        try:
            got: Any = self.client.xreadgroup(
                GROUP, self.consumer, {self.stream: ">"}, count=count, block=block
            )
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            self.ensure_group()  # the stream was deleted (Redis restarted empty, FLUSHDB)
            return []
        return [entry for _, entries in got or [] for entry in entries]

    def _claim(self) -> None:
        got: Any = self.client.xautoclaim(
            self.stream, GROUP, self.consumer, self.claim_idle_ms, "0-0", count=self.count
        )
        entries = [e for e in got[1] if e[0] not in self._in_flight]
        if not entries:
            return
        ids = [entry_id for entry_id, _ in entries]
        # XAUTOCLAIM answers in stream order: the first and last ids bound the range.
        pending: Any = self.client.xpending_range(
            self.stream,
            GROUP,
            min=ids[0],
            max=ids[-1],
            count=len(ids) + len(self._in_flight),
            consumername=self.consumer,
        )
        delivered = {p["message_id"]: int(p["times_delivered"]) for p in pending}
        worn = [i for i in ids if delivered.get(i, 0) > self.max_deliveries]
        if worn:
            log.warning("dropping requests delivered over %d times: %s", self.max_deliveries, worn)
            self.counts["dropped"] += len(worn)
            self._finished.extend(worn)
        self.counts["claimed"] += len(entries) - len(worn)
        self._dispatch([e for e in entries if e[0] not in worn])

    def _dispatch(self, entries: list[Entry]) -> None:
        now_ms = time.time() * 1000 + self._clock_offset_ms
        for entry_id, fields in entries:
            try:
                text, ttl = fields["text"], int(fields["ttl"])
                if not fields.get("id") or not fields.get("reply"):
                    raise ValueError("no address to answer")
            except (KeyError, ValueError):
                log.warning("malformed request %s dropped", entry_id)
                self._finished.append(entry_id)
                continue
            # Stream ids start with Redis's clock (ms) at XADD.
            if int(entry_id.split("-")[0]) + ttl < now_ms:
                self.counts["expired"] += 1
                self._finished.append(entry_id)
                continue
            self._in_flight.add(entry_id)
            future = self.scorer.submit(text)
            future.add_done_callback(functools.partial(self._on_scored, entry_id, fields))

    def _on_scored(self, entry_id: str, fields: dict[str, str], future: Future[Scores]) -> None:
        # On a model thread: hand over to the loop's thread, the only one using Redis.
        self._done.put((entry_id, fields, future))

    # -- answering ----------------------------------------------------------------------

    def _wait_done(self, timeout: float) -> None:
        try:
            item = self._done.get(timeout=timeout)
        except queue.Empty:
            return
        self._done.put(item)  # _flush takes it with the rest

    def _flush(self) -> None:
        replies: dict[str, list[dict[str, Any]]] = {}
        while True:
            try:
                entry_id, fields, future = self._done.get_nowait()
            except queue.Empty:
                break
            replies.setdefault(fields["reply"], []).append(self._reply(fields["id"], future))
            self._finished.append(entry_id)
        if not self._finished:
            return
        pipe = self.client.pipeline(transaction=False)
        for process, answers in replies.items():
            reply_channel = moderation_key(self.prefix, f"reply:{process}")
            pipe.publish(reply_channel, json.dumps({"replies": answers}))
        pipe.xack(self.stream, GROUP, *self._finished)
        pipe.xdel(self.stream, *self._finished)
        pipe.execute()
        self._in_flight.difference_update(self._finished)
        self._finished = []

    def _reply(self, rid: str, future: Future[Scores]) -> dict[str, Any]:
        error = future.exception() if not future.cancelled() else None
        if future.cancelled() or error is not None:
            self.counts["failed"] += 1
            return {"id": rid, "error": type(error).__name__ if error else "cancelled"}
        self.counts["scored"] += 1
        return {"id": rid, "scores": future.result()}

    # -- presence -----------------------------------------------------------------------

    def _heartbeat(self) -> None:
        if self.scorer.status().get("state") != "ready":
            return  # a worker without a model must not be counted
        redis_now = int(self._beat(keys=[self.workers_key], args=[self.consumer, HEARTBEAT_TTL_MS]))
        self._clock_offset_ms = redis_now - time.time() * 1000

    def _sign_off(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        try:
            while self._in_flight and time.monotonic() < deadline:
                self._wait_done(0.05)
                self._flush()
            self.client.zrem(self.workers_key, self.consumer)
            if not self._in_flight:
                self.client.xgroup_delconsumer(self.stream, GROUP, self.consumer)
        except RedisError as exc:
            log.warning("could not sign off cleanly (%s)", type(exc).__name__)


def load_scorer(settings: Settings, *, count: int, threads: int | None) -> InferenceWorker:
    """Start the configured models and wait until ready; raise ModelError if they fail."""
    found = model_loader(settings, threads)
    if found is None:
        raise ModelError(
            "a worker needs a model: set HEARTH_MODEL (or HEARTH_MODEL_CHECKPOINT), or "
            "install the semantic reader's encoder (HEARTH_SEMANTIC_MODEL=auto)"
        )
    loader, name = found
    scorer = InferenceWorker(loader, name=name, max_batch=count)
    scorer.start()
    while (state := scorer.status()["state"]) in ("loading", "stopped"):
        time.sleep(0.05)
    if state != "ready":
        scorer.close()
        raise ModelError(f"model {name} did not load: {scorer.status().get('error')}")
    return scorer


def serve(
    settings: Settings,
    *,
    consumer: str | None = None,
    count: int = 32,
    threads: int | None = None,
) -> None:
    """Run a worker until SIGTERM/SIGINT. Raises ModelError or ValueError on bad settings."""
    if not settings.broker_url.startswith(("redis://", "rediss://")):
        raise ValueError(
            "hearth worker needs HEARTH_BROKER_URL=redis://... (memory:// has no workers)"
        )
    scorer = load_scorer(settings, count=count, threads=threads)
    client = redis.Redis.from_url(
        settings.broker_url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5
    )
    worker = StreamWorker(
        client,
        scorer,
        prefix=settings.key_prefix,
        consumer=consumer,
        count=count,
        claim_idle_ms=settings.worker_claim_idle_ms,
    )
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        log.info("worker %s serving %s", worker.consumer, worker.stream)
        worker.run(stop)
    finally:
        scorer.close()
        client.close()
        log.info("worker %s stopped: %s", worker.consumer, worker.counts)


if __name__ == "__main__":
    from community.cli import app

    app(["worker"])
