"""Throwaway services for the room benchmarks: redis-server, uvicorn processes, a DB.

Everything listens on 127.0.0.1 on a free port and is stopped by the caller; the
machine's own Redis (6379) is never touched.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col

from community import db
from community.actions.rooms import do_create_room
from community.models import Membership, User
from community.security import Tokens, hash_password

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _raise_fd_limit() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _wait(check: object, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


@dataclass
class Redis:
    """A redis-server of our own, without persistence; restartable on the same port."""

    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        cmd = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--loglevel", "warning", "--maxclients", "10000"]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(self._pong, "redis-server", 10)

    def _pong(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@dataclass
class AppServer:
    """One uvicorn process of the app (as `hearth serve` runs it, without migrations)."""

    env: dict[str, str]
    log: Path
    deflate: bool = False  # as `hearth serve` runs it
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd = [sys.executable, "-m", "uvicorn", "community.app:asgi", "--factory",
               "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
               "--log-level", "warning", "--backlog", "4096", "--ws-max-size", "65536",
               "--ws-per-message-deflate", str(self.deflate).lower()]  # fmt: skip
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=out, stderr=out, preexec_fn=_raise_fd_limit
        )
        _wait(self._healthy, f"uvicorn on port {self.port}")

    def _healthy(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).is_success
        except httpx.HTTPError:
            return False

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


def app_env(data_dir: Path, database_url: str, broker_url: str) -> dict[str, str]:
    """Environment of a benchmark server: rate limits off, no model, test secret."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env.update(
        HEARTH_ENV="test",
        HEARTH_ENV_FILE="/nonexistent",
        HEARTH_SECRET_KEY=SECRET,
        HEARTH_DATA_DIR=str(data_dir),
        HEARTH_DATABASE_URL=database_url,
        HEARTH_BROKER_URL=broker_url,
        HEARTH_RATE_LIMIT_ENABLED="false",
        HEARTH_MODEL="",
        HEARTH_MODEL_CHECKPOINT="",
        # The room path without models: their cost is bench_model.py's to measure.
        HEARTH_SEMANTIC_MODEL="off",
        PYTHONUNBUFFERED="1",
    )
    return env


def reset_database(database_url: str) -> None:
    """Empty a PostgreSQL benchmark database; only one named hearth_bench* (never `test`)."""
    url = make_url(db.normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        return
    if not (url.database or "").startswith("hearth_bench"):
        raise SystemExit(
            "the benchmark empties its database: give one named hearth_bench* "
            "(createdb -h 127.0.0.1 -U postgres hearth_bench)"
        )
    engine = db.make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_db(database_url: str, users: int, rooms: int) -> tuple[list[str], list[str]]:
    """Migrate, create `rooms` public rooms and `users` members; user i joins room i % rooms.

    Rows are inserted in bulk with one shared password hash (Argon2 per user would
    take minutes); returns (room slugs, bearer token of user i).
    """
    reset_database(database_url)
    db.upgrade(database_url)
    engine = db.make_engine(database_url)
    slugs = [f"bench{r:04d}" for r in range(rooms)]
    tokens = Tokens(SECRET)
    pw = hash_password("bench password not used")
    with db.session_scope(engine) as s:
        room_ids = [_room(s, slug) for slug in slugs]
        rows = [
            {"handle": f"b{i:06d}", "handle_key": f"b{i:06d}", "password_hash": pw,
             "role": "member", "guidelines_version": "bench"}
            for i in range(users)
        ]  # fmt: skip
        ids = list(s.execute(_returning_ids(), rows).scalars())
        members = [{"room_id": room_ids[i % rooms], "user_id": uid} for i, uid in enumerate(ids)]
        s.execute(insert(Membership), members)
    engine.dispose()
    return slugs, [tokens.issue(uid, 0) for uid in ids]


def _room(session: Session, slug: str) -> int:
    room = do_create_room(session, slug=slug, name=slug, creator=None)
    assert room.id is not None
    return room.id


class ProcStats:
    """CPU seconds, CPU-queue waits and RSS of a set of processes, between two samples."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.cpu0: dict[str, float] = {}
        self.wait0: dict[str, float] = {}
        self.t0 = 0.0

    def rss(self) -> dict[str, int]:
        return {n: p.memory_info().rss for n, p in self.procs.items() if p.is_running()}

    def _cpu(self) -> dict[str, float]:
        out = {}
        for name, p in self.procs.items():
            try:
                t = p.cpu_times()
                out[name] = t.user + t.system
            except psutil.NoSuchProcess:
                out[name] = 0.0
        return out

    def _waits(self) -> dict[str, float]:
        return {name: run_queue_wait(p.pid) for name, p in self.procs.items()}

    def begin(self) -> None:
        self.cpu0, self.wait0, self.t0 = self._cpu(), self._waits(), time.monotonic()

    def cpu_share(self) -> dict[str, float]:
        """Cores used by each process since `begin` (1.0 = one core fully busy)."""
        wall = time.monotonic() - self.t0
        now = self._cpu()
        return {n: (now[n] - self.cpu0.get(n, 0.0)) / wall for n in now}

    def wait_share(self) -> dict[str, float]:
        """Threads of each process runnable but not running since `begin`, on average.

        On a shared machine this says whether a process was starved of CPU: 0.5
        means that half the time one of its threads was ready and waiting for a core.
        """
        wall = time.monotonic() - self.t0
        now = self._waits()
        return {n: (now[n] - self.wait0.get(n, 0.0)) / wall for n in now}


def run_queue_wait(pid: int) -> float:
    """Seconds the threads of `pid` have spent runnable but waiting for a CPU (Linux)."""
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def _returning_ids() -> Any:
    # In the order of the parameters, so that token i belongs to user i.
    return insert(User).returning(col(User.id), sort_by_parameter_order=True)
