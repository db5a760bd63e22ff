"""Live-rooms benchmark: real uvicorn processes, our load generator, CPU and RSS.

    # memory:// broker, one process (the default)
    .venv/bin/python bench/bench_rooms.py --clients 400 --rooms 20 --rate 100 --duration 15
    # redis:// broker, two processes on a throwaway redis-server
    .venv/bin/python bench/bench_rooms.py --broker redis --servers 2 --clients 500 ...
    # idle connections only: RSS per connection
    .venv/bin/python bench/bench_rooms.py --idle --clients 2000 --duration 5

Client i is a member of room i % rooms and connects to server (i // rooms) % servers,
so with several servers every room spans processes (fan-out crosses the broker).
See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shlex
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from harness import AppServer, ProcStats, Redis, app_env, prepare_db
from load_stats import Summary
from loadgen import ClientSpec, Load, Plan, run_load
from pyspy import Profiler


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--broker", choices=["memory", "redis"], default="memory")
    p.add_argument("--servers", type=int, default=0, help="web processes (default 1/2)")
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--rooms", type=int, default=10)
    p.add_argument("--rate", type=float, default=50.0, help="sends per second, all clients")
    p.add_argument("--duration", type=float, default=15.0, help="seconds of sending")
    p.add_argument(
        "--drain", type=float, default=30.0, help="at most this long to read after sending"
    )
    p.add_argument("--procs", type=int, default=2, help="load-generator processes")
    p.add_argument("--text-chars", type=int, default=80)
    p.add_argument("--idle", action="store_true", help="connect and hold; no sends")
    p.add_argument("--deflate", action="store_true", help="permessage-deflate on (serve: off)")
    p.add_argument("--database-url", default="", help="default: a fresh SQLite file (WAL)")
    p.add_argument("--json", type=Path, help="also write the results here")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    p.add_argument("--profile", action="store_true", help="py-spy the servers while sending")
    args = p.parse_args(argv)
    args.servers = args.servers or (2 if args.broker == "redis" else 1)
    if args.broker == "memory" and args.servers != 1:
        p.error("memory:// is one process only; use --broker redis for several")
    if args.clients < args.rooms or args.rooms < 1:
        p.error("need at least one room and one client per room")
    return args


def client_specs(urls: list[str], slugs: list[str], tokens: list[str]) -> list[ClientSpec]:
    rooms, servers = len(slugs), len(urls)
    specs = []
    for i, token in enumerate(tokens):
        first = (i // rooms) % servers
        order = tuple(urls[first:] + urls[:first])
        specs.append(ClientSpec(i, order, slugs[i % rooms], token))
    return specs


def _settled_rss(stats: ProcStats) -> int:
    gc.collect()
    time.sleep(2.0)  # let the servers finish connect-time work (presence, replay)
    return sum(stats.rss().values())


class Measure:
    """Samples taken around the run: RSS before/after connecting, CPU in the window."""

    def __init__(self, servers: list[AppServer], redis: Redis | None, load: Load) -> None:
        pids = {f"server{i}": s.pid for i, s in enumerate(servers)}
        if redis is not None and redis.proc is not None:
            pids["redis"] = redis.proc.pid
        self.server_stats = ProcStats(pids)
        self.pids = pids
        self.load = load
        self.rss_before = _settled_rss(self.server_stats)
        self.rss_after = 0
        self.connected = 0
        self.cpu: dict[str, float] = {}
        self.cpu_wait: dict[str, float] = {}
        self.loadavg: list[float] = []
        self.all: ProcStats | None = None

    def ready(self, connected: int) -> None:
        self.connected = connected
        self.rss_after = _settled_rss(self.server_stats)
        pids = {f"loadgen{i}": pid for i, pid in enumerate(self.load.pids)}
        self.all = ProcStats({**{n: p.pid for n, p in self.server_stats.procs.items()}, **pids})

    def begin(self) -> None:
        assert self.all is not None
        self.loadavg.append(os.getloadavg()[0])
        self.all.begin()

    def end(self) -> None:
        assert self.all is not None
        self.cpu = self.all.cpu_share()
        self.cpu_wait = self.all.wait_share()
        self.loadavg.append(os.getloadavg()[0])

    @property
    def rss_per_conn_kb(self) -> float:
        return (self.rss_after - self.rss_before) / max(1, self.connected) / 1024


def cpu_per_delivery_us(summary: Summary, m: Measure) -> float:
    """Server CPU seconds in the window per delivery: comparable on a busy machine."""
    server = sum(v for k, v in m.cpu.items() if k.startswith("server")) * summary.duration
    deliveries = summary.deliveries_per_s * summary.duration
    return 1e6 * server / deliveries if deliveries else 0.0


def report(args: argparse.Namespace, summary: Summary, m: Measure) -> dict[str, Any]:
    cpu = {k: round(v, 2) for k, v in m.cpu.items()}
    wait = {k: round(v, 2) for k, v in m.cpu_wait.items()}
    print("command: " + shlex.join([".venv/bin/python", *sys.argv]))
    print(f"broker {args.broker}, servers {args.servers}, rooms {args.rooms}, "
          f"load average {m.loadavg} (1 min, at start and end)")  # fmt: skip
    for line in summary.lines():
        print(line)
    print(f"cpu (cores) {cpu}; server CPU per delivery {cpu_per_delivery_us(summary, m):.0f} us "
          "(the send path included)")  # fmt: skip
    print(f"waiting for a CPU (threads, on average) {wait}")
    print(f"server pids {m.pids}")
    print(f"server RSS before {m.rss_before / 2**20:.1f} MiB, after connecting "
          f"{m.rss_after / 2**20:.1f} MiB: {m.rss_per_conn_kb:.1f} KiB per connection")  # fmt: skip
    return {
        "command": shlex.join(sys.argv),
        "args": {k: str(v) for k, v in vars(args).items()},
        "summary": asdict(summary),
        "cpu_cores": cpu,
        "cpu_queue_wait": wait,
        "rss_per_connection_kib": round(m.rss_per_conn_kb, 1),
        "server_cpu_us_per_delivery": round(cpu_per_delivery_us(summary, m)),
        "loadavg": m.loadavg,
    }


def _print_server_errors(servers: list[AppServer]) -> None:
    """Error frames came back: show why (the servers never log message text)."""
    for s in servers:
        lines = s.log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if "ERROR" in line or "Error" in line][-10:]
        print(f"--- {s.log.name}: last errors ---", *errors, sep="\n")


def _profiler(args: argparse.Namespace, servers: list[AppServer], work: Path) -> Profiler | None:
    if not args.profile:
        return None
    pids = {f"server{i}": s.pid for i, s in enumerate(servers)}
    return Profiler(pids, work, max(1.0, args.duration - 2.0))


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    database_url = args.database_url or f"sqlite:///{work}/bench.db"
    slugs, tokens = prepare_db(database_url, args.clients, args.rooms)
    redis = Redis() if args.broker == "redis" else None
    servers: list[AppServer] = []
    try:
        if redis is not None:
            redis.start()
        broker_url = redis.url if redis is not None else "memory://"
        env = app_env(work, database_url, broker_url)
        for i in range(args.servers):
            servers.append(AppServer(env, work / f"server{i}.log", deflate=args.deflate))
            servers[-1].start()
        plan = Plan(
            rate_per_client=0.0 if args.idle else args.rate / args.clients,
            duration=args.duration,
            drain=0.0 if args.idle else args.drain,
            text_chars=args.text_chars,
            compression=args.deflate,
        )
        load = Load()
        m = Measure(servers, redis, load)
        specs = client_specs([s.ws_url for s in servers], slugs, tokens)
        timeline = [(0.0, m.begin), (args.duration, m.end)]
        profiler = _profiler(args, servers, work)
        if profiler is not None:
            timeline.append((1.0, profiler.start))
        summary = run_load(
            specs, plan, procs=args.procs, on_ready=m.ready, timeline=timeline, load=load
        )
        result = report(args, summary, m)
        if summary.errors:
            _print_server_errors(servers)
        if profiler is not None:
            profiler.wait()
            result["profile"] = profiler.summaries()
            print("\n".join(result["profile"]))
        return result
    finally:
        for s in servers:
            s.stop()
        if redis is not None:
            redis.stop()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="hearth-bench-"))
    result = run(args, work)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if not args.keep:
        for f in sorted(work.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
        work.rmdir()
    else:
        print(f"work directory (server logs): {work}")


if __name__ == "__main__":
    main()
