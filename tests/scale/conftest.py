"""Fixtures for scale-out tests: tiny real models, worker processes, a StreamScorer.

Everything is real: a throwaway redis-server, the tiny detoxify checkpoint loaded
through `load_predictor`, `hearth worker` subprocesses, uvicorn web processes.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis

from community.streams import StreamScorer, moderation_key
from tests.moderation.tiny_model import LABELS, build_tiny_model
from tests.servers import ROOT, server_env

QUIET = {label: -12.0 for label in LABELS}  # every score ~0: the rules decide
INSULT = QUIET | {"insult": 12.0}  # insult ~1.0 for any text: the model holds it


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def quiet_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_tiny_model(tmp_path_factory.mktemp("quiet"), logits=QUIET)


@pytest.fixture(scope="session")
def insult_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_tiny_model(tmp_path_factory.mktemp("insult"), logits=INSULT)


def model_env(model: tuple[Path, Path]) -> dict[str, str]:
    return {"HEARTH_MODEL_CHECKPOINT": str(model[0]), "HEARTH_MODEL_CONFIG_DIR": str(model[1])}


class WorkerProcess:
    """A `hearth worker` subprocess (python -m community.cli worker)."""

    def __init__(self, env: dict[str, str], name: str, log: Path) -> None:
        self.env, self.name, self.log = env, name, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        # One torch thread: the test machine's two cores are shared with everything else.
        cmd = [sys.executable, "-m", "community.cli", "worker", "--consumer", self.name]
        cmd += ["--threads", "1"]
        out = self.log.open("ab")
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=out, stderr=out)
        return self

    def wait_ready(self, url: str, prefix: str, timeout: float = 30.0) -> None:
        """Until the worker's first heartbeat: its model is loaded and it reads the stream."""
        client = redis.Redis.from_url(url, decode_responses=True)
        deadline = time.monotonic() + timeout
        try:
            while client.zscore(moderation_key(prefix, "workers"), self.name) is None:
                assert self.proc is not None and self.proc.poll() is None, self.log.read_text()
                assert time.monotonic() < deadline, self.log.read_text()[-2000:]
                time.sleep(0.05)
        finally:
            client.close()

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture
def workers(tmp_path: Path, redis_url: str, redis_prefix: str) -> Iterator[list[WorkerProcess]]:
    """Started workers are stopped (or reaped) at teardown."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        if worker.proc is not None and worker.proc.poll() is None:
            worker.signal(signal.SIGCONT)  # a stopped process cannot act on SIGTERM
        worker.stop()


def worker_env(
    tmp_path: Path, database_url: str, redis_url: str, prefix: str, **extra: str
) -> dict[str, str]:
    return server_env(tmp_path, database_url, redis_url, HEARTH_KEY_PREFIX=prefix, **extra)


@pytest.fixture
async def scorer(redis_url: str, redis_prefix: str) -> AsyncIterator[StreamScorer]:
    """A started StreamScorer polling every 0.1 s; long expiry (tests set their own waits)."""
    s = StreamScorer(redis_url, prefix=redis_prefix, expire_after=30.0, poll=0.1)
    await s.start()
    try:
        yield s
    finally:
        await s.aclose()
