"""Hearth's own websocket load generator: many clients, many rooms, one send rate.

Each client holds one room socket (bearer token), sends `{"type": "send"}` frames on
a fixed schedule and reads everything the room broadcasts. A message's text starts
with `t=<ns>` (its send time, wall clock), so a receiver computes end-to-end latency;
every client records the ids it received, so the parent counts lost and duplicated
deliveries. Clients run in several worker processes (`run_load`): one Python process
cannot parse 10,000 frames a second and still measure its own latency honestly.

Two modes (`Plan.resume`):
* benchmark: a client that drops out is no longer expected to receive anything;
* soak: a client reconnects with `?after=<last id>` (to the next server in its list)
  and resends what was not acknowledged, with the same `client_id`; every client is
  expected to end up with every acknowledged message of its room.

Used by `bench_rooms.py` and `soak.py`; not run on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing as mp
import random
import resource
import time
import uuid
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from load_stats import ClientReport, Summary, WorkerReport, summarise
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

FILLER = "feeling a bit better today, thanks all for listening and for being here "
CONNECT_CONCURRENCY = 64


@dataclass(frozen=True)
class ClientSpec:
    index: int
    urls: tuple[str, ...]  # ws://host:port; the first is used first
    room: str
    token: str


@dataclass(frozen=True)
class Plan:
    rate_per_client: float  # sends per second per client; 0: idle connections only
    duration: float  # seconds of sending
    drain: float  # at most this many seconds of reading after the last send
    quiet: float = 2.0  # the drain ends early once nothing arrived for this long
    text_chars: int = 80
    resume: bool = False
    compression: bool = True  # permessage-deflate, as browsers negotiate
    connect_timeout: float = 120.0
    retry_after: float = 5.0  # soak: resend an unacknowledged message after this


@dataclass
class _Window:
    start: float = 0.0
    stop: float = 0.0


class Client:
    """One simulated member in one room."""

    def __init__(self, spec: ClientSpec, plan: Plan, report: WorkerReport) -> None:
        self.spec, self.plan, self.report = spec, plan, report
        self.ws: ClientConnection | None = None
        self.last_id = 0
        self.received: array[int] = array("q")
        self.replayed = asyncio.Event()
        self.stable = True
        self.reconnects = 0
        self.pending: dict[str, tuple[str, float]] = {}  # client_id -> (text, last sent)
        self.closing = False

    def _text(self) -> str:
        head = f"t={time.time_ns()} c={self.spec.index} "
        body = (FILLER * (1 + self.plan.text_chars // len(FILLER)))[: self.plan.text_chars]
        return head + body[: max(0, self.plan.text_chars - len(head))]

    async def run(self) -> None:
        """Hold the socket; in soak mode, reconnect until told to close."""
        attempt = 0
        while not self.closing:
            url = self.spec.urls[(self.reconnects) % len(self.spec.urls)]
            try:
                await self._session(url)
                attempt = 0
            except (OSError, WebSocketException, TimeoutError):
                attempt += 1
            self.ws = None
            if self.closing:
                return
            self.stable = False
            if not self.plan.resume:
                return
            self.reconnects += 1
            await asyncio.sleep(min(5.0, 0.2 * 2**attempt) * random.uniform(0.5, 1.0))

    async def _session(self, url: str) -> None:
        uri = f"{url}/ws/rooms/{self.spec.room}?after={self.last_id}"
        self.replayed.clear()  # sends wait for this session's replay
        async with connect(
            uri,
            additional_headers={"Authorization": f"Bearer {self.spec.token}"},
            compression="deflate" if self.plan.compression else None,
            open_timeout=30,
            ping_interval=None,  # the server pings; answering is automatic
            max_queue=256,
        ) as ws:
            self.ws = ws
            async for raw in ws:
                self._on_frame(raw)

    def _on_frame(self, raw: str | bytes) -> None:
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "message":
            self._on_message(frame)
        elif kind == "ack":
            self._on_ack(frame)
        elif kind == "replayed":
            self.replayed.set()
            self._resend_pending(0.0)
        elif kind == "error":
            self.report.errors[str(frame.get("code"))] += 1

    def _on_message(self, frame: dict[str, Any]) -> None:
        msg_id = int(frame["id"])
        self.received.append(msg_id)
        self.last_id = max(self.last_id, msg_id)
        now = time.time_ns()
        text = frame.get("text", "")
        if text.startswith("t="):
            sent_ns = int(text[2 : text.index(" ")])
            self.report.latencies_ms.append((now - sent_ns) / 1e6)
            if now / 1e9 <= self.report.window_stop:
                self.report.in_window += 1

    def _on_ack(self, frame: dict[str, Any]) -> None:
        entry = self.pending.pop(str(frame.get("client_id")), None)
        if entry is None:
            return  # the ack of a retry we had already seen
        self.report.acked.setdefault(self.spec.room, array("q")).append(int(frame["id"]))
        sent_ns = int(entry[0][2 : entry[0].index(" ")])
        self.report.ack_latencies_ms.append((time.time_ns() - sent_ns) / 1e6)

    async def send_one(self) -> None:
        cid, text = str(uuid.uuid4()), self._text()
        self.pending[cid] = (text, time.monotonic())
        self.report.sent += 1
        await self._transmit(cid, text)

    async def _transmit(self, cid: str, text: str) -> None:
        ws = self.ws
        if ws is None or not self.replayed.is_set():
            return  # soak: sent after the reconnect (see _resend_pending)
        # A failed send needs nothing here: the reader notices the closed socket.
        with contextlib.suppress(OSError, WebSocketException):
            await ws.send(json.dumps({"type": "send", "client_id": cid, "text": text}))

    def _resend_pending(self, older_than: float) -> None:
        if not self.plan.resume:
            return
        now = time.monotonic()
        for cid, (text, at) in list(self.pending.items()):
            if now - at >= older_than:
                self.pending[cid] = (text, now)
                self.report.resent += 1
                asyncio.get_running_loop().create_task(self._transmit(cid, text))

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()


async def _sender(client: Client, window: _Window) -> None:
    """Send at the planned rate, from a random phase, until the window closes."""
    interval = 1.0 / client.plan.rate_per_client
    due = window.start + random.uniform(0, interval)
    while due < window.stop:
        await asyncio.sleep(max(0.0, due - time.time()))
        if client.replayed.is_set() or client.plan.resume:
            await client.send_one()
        due += interval


async def _retrier(clients: list[Client]) -> None:
    """Soak: resend what stayed unacknowledged (a lost ack, an `unavailable` error)."""
    while True:
        await asyncio.sleep(1.0)
        for c in clients:
            c._resend_pending(c.plan.retry_after)


async def _drain(clients: list[Client], report: WorkerReport, until: float, quiet: float) -> None:
    """Read until `until`, or until no frame arrived for `quiet` s and nothing awaits an ack.

    Ending early keeps short runs short; waiting for quiet (rather than a fixed time)
    makes "lost" mean lost, not merely late, on a machine that fell behind.
    """
    seen, quiet_since = -1, time.time()
    while time.time() < until:
        await asyncio.sleep(0.25)
        total = len(report.latencies_ms)
        if total != seen:
            seen, quiet_since = total, time.time()
        pending = any(c.pending for c in clients)
        if not pending and time.time() - quiet_since >= quiet:
            return


async def _connect_all(clients: list[Client], wait_s: float) -> list[asyncio.Task[None]]:
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def start(c: Client) -> asyncio.Task[None]:
        async with gate:
            task = asyncio.get_running_loop().create_task(c.run())
            waiter = asyncio.ensure_future(c.replayed.wait())
            await asyncio.wait({task, waiter}, timeout=wait_s, return_when="FIRST_COMPLETED")
            waiter.cancel()
            return task

    return list(await asyncio.gather(*(start(c) for c in clients)))


async def _worker(specs: list[ClientSpec], plan: Plan, ready: Any, go: Any, start: Any) -> Any:
    report = WorkerReport(errors=Counter())
    clients = [Client(s, plan, report) for s in specs]
    tasks = await _connect_all(clients, plan.connect_timeout)
    ready.put(sum(c.replayed.is_set() for c in clients))
    await asyncio.get_running_loop().run_in_executor(None, go.wait)
    window = _Window(start.value, start.value + plan.duration)
    report.window_stop = window.stop
    for c in clients:
        c.stable = c.stable and c.ws is not None
    retrier = asyncio.get_running_loop().create_task(_retrier(clients)) if plan.resume else None
    senders = [_sender(c, window) for c in clients] if plan.rate_per_client > 0 else []
    await asyncio.gather(*senders)
    await _drain(clients, report, window.stop + plan.drain, plan.quiet)
    if retrier is not None:
        retrier.cancel()
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    await asyncio.wait(tasks, timeout=10)
    report.unacked = sum(len(c.pending) for c in clients)
    report.clients = [
        ClientReport(c.spec.index, c.spec.room, c.stable, c.received, c.reconnects) for c in clients
    ]
    return report


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def worker_main(
    specs: list[ClientSpec], plan: Plan, ready: Any, go: Any, start: Any, out: Any
) -> None:
    """Entry point of one load-generator process (spawned by `run_load`)."""
    _raise_fd_limit()
    out.put(asyncio.run(_worker(specs, plan, ready, go, start)))


@dataclass
class Load:
    """The running load generator: its processes, for CPU accounting."""

    procs: list[Any] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p.pid is not None]


def run_load(
    specs: list[ClientSpec],
    plan: Plan,
    *,
    procs: int,
    on_ready: Callable[[int], None],
    timeline: list[tuple[float, Callable[[], None]]],
    load: Load | None = None,
) -> Summary:
    """Run `specs` across `procs` processes; return the merged results.

    `on_ready(connected)` runs once every client has connected (or timed out), before
    any send; `timeline` actions run at their offset (seconds) from the first send.
    """
    ctx = mp.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    start = ctx.Value("d", 0.0)
    load = load or Load()
    for i in range(procs):
        mine = specs[i::procs]
        p = ctx.Process(target=worker_main, args=(mine, plan, ready, go, start, out), daemon=True)
        p.start()
        load.procs.append(p)
    wait = plan.connect_timeout * (1 + len(specs) / CONNECT_CONCURRENCY / procs) + 60
    connected = sum(ready.get(timeout=wait) for _ in range(procs))
    on_ready(connected)
    start.value = time.time() + 1.0
    go.set()
    for offset, action in sorted(timeline, key=lambda x: x[0]):
        time.sleep(max(0.0, start.value + offset - time.time()))
        action()
    reports = [out.get(timeout=plan.duration + plan.drain + 120) for _ in range(procs)]
    for p in load.procs:
        p.join(10)
    return summarise(reports, plan.duration, connected, len(specs), plan.resume)
