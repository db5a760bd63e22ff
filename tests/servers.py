"""Real uvicorn processes of the app, for multi-process, fault and browser tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "community.app:asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
            "--ws-ping-interval",
            "20",
            "--ws-ping-timeout",
            "20",
            "--ws-per-message-deflate",
            "false",
        ]
        out = self.log.open("ab")
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code in (200, 503):
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


def register_on(server: Server, handle: str, password: str = "correct horse battery") -> str:
    """A bearer token for `handle` on a running server (registers it, or logs in)."""
    body = {
        "handle": handle,
        "password": password,
        "accept_guidelines": True,
        "age_confirmed": True,
    }
    r = httpx.post(server.url + "/api/auth/register", json=body, timeout=10)
    if r.status_code == 409:
        r = httpx.post(
            server.url + "/api/auth/token",
            json={"handle": handle, "password": password},
            timeout=10,
        )
    assert r.status_code in (200, 201), r.text
    return str(r.json()["token"])


def server_env(tmp: Path, database_url: str, broker_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env.update(
        {
            "HEARTH_ENV": "test",
            "HEARTH_ENV_FILE": "/nonexistent",
            "HEARTH_SECRET_KEY": "multi-process-test-secret-0123456789abcdef",
            "HEARTH_DATA_DIR": str(tmp),
            "HEARTH_DATABASE_URL": database_url,
            "HEARTH_BROKER_URL": broker_url,
            # Rules only unless a test asks for the models (each would load torch).
            "HEARTH_SEMANTIC_MODEL": "off",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


@contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    try:
        for s in servers:
            s.start()
        yield servers
    finally:
        for s in servers:
            s.stop()


def frame_until(ws: ClientConnection, kind: str, timeout: float = 10.0) -> dict[str, Any]:
    """The next frame of type `kind` on a socket to a real server (others are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        if frame["type"] == kind:
            return frame  # type: ignore[no-any-return]
