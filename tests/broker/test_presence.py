from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest

from community.broker import BrokerUnavailable
from community.broker.presence import Presence
from tests.broker._helpers import eventually
from tests.redis_fixtures import RestartableRedis

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def presence(broker_url: str, redis_prefix: str) -> AsyncIterator[Presence]:
    async with Presence(broker_url, prefix=redis_prefix) as p:
        yield p


async def wait_for_members(presence: Presence, room: str, expected: list[str]) -> None:
    async def arrived() -> bool:
        return await presence.members(room) == expected

    await eventually(arrived)


async def test_join_leave_and_one_entry_per_handle(presence: Presence) -> None:
    await presence.join("lounge", "c1", "rowan")
    await presence.join("lounge", "c2", "ash")
    await presence.join("lounge", "c3", "rowan")  # a second tab
    await presence.join("garden", "c4", "birch")
    assert await presence.members("lounge") == ["ash", "rowan"]
    await presence.leave("lounge", "c1")
    assert await presence.members("lounge") == ["ash", "rowan"]
    await presence.leave("lounge", "c3")
    await presence.leave("lounge", "never-joined")
    assert await presence.members("lounge") == ["ash"]
    assert await presence.members("garden") == ["birch"]
    assert await presence.members("empty") == []


async def test_graceful_disconnect_withdraws_entries(broker_url: str, redis_prefix: str) -> None:
    async with Presence(broker_url, prefix=redis_prefix) as watcher:
        leaving = Presence(broker_url, prefix=redis_prefix)
        await leaving.connect()
        await leaving.join("lounge", "c1", "rowan")
        await leaving.disconnect()
        assert await watcher.members("lounge") == []


async def test_bad_input_is_refused(presence: Presence) -> None:
    with pytest.raises(ValueError, match="slug"):
        await presence.join("no spaces{}", "c1", "rowan")
    with pytest.raises(ValueError, match="refresh < ttl"):
        Presence("memory://", ttl=1.0, refresh=2.0)
    with pytest.raises(ValueError, match="scheme 'ftp'"):
        Presence("ftp://host")


async def test_presence_is_shared_between_processes(redis_url: str, redis_prefix: str) -> None:
    async with (
        Presence(redis_url, prefix=redis_prefix) as a,
        Presence(redis_url, prefix=redis_prefix) as b,
    ):
        await a.join("lounge", "c1", "rowan")
        await b.join("lounge", "c1", "rowan")  # same conn id elsewhere: still distinct
        await b.join("lounge", "c2", "ash")
        assert await a.members("lounge") == await b.members("lounge") == ["ash", "rowan"]
        await a.leave("lounge", "c1")
        assert await a.members("lounge") == ["ash", "rowan"]
        await b.leave("lounge", "c1")
        assert await a.members("lounge") == ["ash"]


async def test_live_process_keeps_its_entries_past_the_ttl(
    redis_url: str, redis_prefix: str
) -> None:
    async with Presence(redis_url, prefix=redis_prefix, ttl=0.3, refresh=0.1) as p:
        await p.join("lounge", "c1", "rowan")
        await anyio.sleep(0.7)
        assert await p.members("lounge") == ["rowan"]


_DYING_PROCESS = """
import asyncio, sys
from community.broker.presence import Presence

async def main():
    presence = Presence(sys.argv[1], prefix=sys.argv[2], ttl=0.6, refresh=0.2)
    await presence.connect()
    await presence.join("lounge", "c1", "ghost")
    print("ready", flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_entries_of_a_killed_process_lapse(redis_url: str, redis_prefix: str) -> None:
    changed: list[str] = []

    async def told() -> bool:
        return bool(changed)

    command = [sys.executable, "-c", _DYING_PROCESS, redis_url, redis_prefix]
    async with await anyio.open_process(command, cwd=ROOT) as proc:
        assert proc.stdout is not None
        with anyio.fail_after(10):
            assert (await proc.stdout.receive()).startswith(b"ready")
        async with Presence(
            redis_url, prefix=redis_prefix, ttl=0.6, refresh=0.1, on_change=changed.append
        ) as survivor:
            await survivor.join("lounge", "c9", "host")
            assert await survivor.members("lounge") == ["ghost", "host"]
            proc.kill()  # no chance to leave
            await wait_for_members(survivor, "lounge", ["host"])
            await eventually(told)
            assert changed == ["lounge"]


async def test_redis_outage_neither_breaks_join_nor_loses_it(
    restartable_redis: RestartableRedis, caplog: pytest.LogCaptureFixture
) -> None:
    async with Presence(restartable_redis.url, ttl=0.6, refresh=0.1) as p:
        restartable_redis.stop()
        await p.join("lounge", "c1", "rowan")
        assert "presence update failed" in caplog.text
        with pytest.raises(BrokerUnavailable):
            await p.members("lounge")
        restartable_redis.start()
        await wait_for_members(p, "lounge", ["rowan"])
