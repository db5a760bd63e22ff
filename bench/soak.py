"""Soak with faults: long load on Redis + several processes, Redis and a server restarted.

    .venv/bin/python bench/soak.py                       # 10 min, 1,000 clients
    .venv/bin/python bench/soak.py --duration 20 --clients 200 --rate 40   # a short check

Clients reconnect with `?after=<last id>` (to the next server) and resend what was
not acknowledged with the same `client_id`. At `--redis-at` of the run the
redis-server is stopped for `--down` seconds and started again on the same port; at
`--server-at` one web process is stopped (SIGTERM) and started again. After the last
send the clients read for `--drain` seconds; then every client must hold every
acknowledged message of its room exactly once. Exit status 1 if any was lost or
duplicated.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from bench_rooms import client_specs
from harness import AppServer, ProcStats, Redis, app_env, prepare_db
from loadgen import Load, Plan, run_load


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--clients", type=int, default=1000)
    p.add_argument("--rooms", type=int, default=50)
    p.add_argument("--rate", type=float, default=50.0, help="sends per second, all clients")
    p.add_argument("--duration", type=float, default=600.0, help="seconds of sending")
    p.add_argument("--drain", type=float, default=30.0)
    p.add_argument("--servers", type=int, default=2)
    p.add_argument("--procs", type=int, default=2, help="load-generator processes")
    p.add_argument("--redis-at", type=float, default=0.33, help="fraction of the run")
    p.add_argument("--server-at", type=float, default=0.66, help="fraction of the run")
    p.add_argument("--down", type=float, default=3.0, help="seconds each stays down")
    p.add_argument("--database-url", default="", help="default: a fresh SQLite file (WAL)")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    if args.servers < 2:
        p.error("a process restart needs at least two servers")
    return args


class Faults:
    """The fault actions, each logged with its time relative to the first send."""

    def __init__(self, redis: Redis, victim: AppServer, down: float) -> None:
        self.redis, self.victim, self.down = redis, victim, down
        self.log: list[str] = []
        self.t0 = 0.0

    def _note(self, what: str) -> None:
        self.log.append(f"{time.time() - self.t0:7.1f} s  {what}")
        print(self.log[-1], flush=True)

    def begin(self) -> None:
        self.t0 = time.time()
        self._note(f"first send; load average {os.getloadavg()[0]:.2f}")

    def restart_redis(self) -> None:
        self._note("redis-server stopped")
        self.redis.stop()
        time.sleep(self.down)
        self.redis.start()
        self._note("redis-server started")

    def restart_server(self) -> None:
        self._note(f"web process on port {self.victim.port} stopped (SIGTERM)")
        self.victim.stop()
        time.sleep(self.down)
        self.victim.start()
        self._note(f"web process on port {self.victim.port} started")


def _timeline(
    args: argparse.Namespace, faults: Faults, stats: ProcStats
) -> list[tuple[float, Callable[[], None]]]:
    return [
        (0.0, faults.begin),
        (0.0, stats.begin),
        (args.duration * args.redis_at, faults.restart_redis),
        (args.duration * args.server_at, faults.restart_server),
    ]


def run(args: argparse.Namespace, work: Path) -> dict[str, object]:
    database_url = args.database_url or f"sqlite:///{work}/soak.db"
    slugs, tokens = prepare_db(database_url, args.clients, args.rooms)
    redis = Redis()
    servers: list[AppServer] = []
    try:
        redis.start()
        env = app_env(work, database_url, redis.url)
        for i in range(args.servers):
            servers.append(AppServer(env, work / f"server{i}.log"))
            servers[-1].start()
        # CPU of the first server only: the restarted one gets a new pid.
        stats = ProcStats({"server0": servers[0].pid})
        faults = Faults(redis, servers[-1], args.down)
        plan = Plan(args.rate / args.clients, args.duration, args.drain, resume=True)
        summary = run_load(
            client_specs([s.ws_url for s in servers], slugs, tokens),
            plan,
            procs=args.procs,
            on_ready=lambda n: print(f"{n} of {args.clients} clients connected", flush=True),
            timeline=_timeline(args, faults, stats),
            load=Load(),
        )
        cpu = {k: round(v, 2) for k, v in stats.cpu_share().items()}
        faults._note(f"done; load average {os.getloadavg()[0]:.2f}")
    finally:
        for s in servers:
            s.stop()
        redis.stop()
    print("command: " + shlex.join([".venv/bin/python", *sys.argv]))
    print("\n".join(["faults:", *faults.log, *summary.lines(), f"cpu (cores) {cpu}"]))
    return {"command": shlex.join(sys.argv), "faults": faults.log, "summary": asdict(summary)}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hearth-soak-") as tmp:
        result = run(args, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    summary = result["summary"]
    assert isinstance(summary, dict)
    sys.exit(1 if summary["lost"] or summary["duplicated"] else 0)


if __name__ == "__main__":
    main()
