from __future__ import annotations

import anyio
import pytest

from community.broker.coalesce import Coalescer

pytestmark = pytest.mark.anyio


async def test_marks_within_a_window_flush_once_per_key() -> None:
    flushed: list[str] = []

    async def flush(key: str) -> None:
        flushed.append(key)

    coalescer = Coalescer(flush, delay=0.05)
    for key in ["lounge", "lounge", "garden", "lounge"]:
        coalescer.mark(key)
    assert flushed == []
    await anyio.sleep(0.15)
    assert sorted(flushed) == ["garden", "lounge"]
    coalescer.mark("lounge")
    await anyio.sleep(0.15)
    assert sorted(flushed) == ["garden", "lounge", "lounge"]


async def test_failing_flush_is_logged_and_later_ones_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    flushed: list[str] = []

    async def flush(key: str) -> None:
        if key == "bad":
            raise RuntimeError("boom")
        flushed.append(key)

    coalescer = Coalescer(flush, delay=0.01)
    coalescer.mark("bad")
    await anyio.sleep(0.05)
    coalescer.mark("good")
    await anyio.sleep(0.05)
    assert flushed == ["good"]
    assert "coalesced flush failed (RuntimeError)" in caplog.text


async def test_marks_during_a_flush_get_their_own_window() -> None:
    flushed: list[str] = []
    coalescer: Coalescer[str]

    async def flush(key: str) -> None:
        flushed.append(key)
        if key == "first":
            coalescer.mark("second")

    coalescer = Coalescer(flush, delay=0.02)
    coalescer.mark("first")
    await anyio.sleep(0.1)
    assert flushed == ["first", "second"]


async def test_aclose_flushes_pending_keys_at_once() -> None:
    flushed: list[str] = []

    async def flush(key: str) -> None:
        flushed.append(key)

    coalescer = Coalescer(flush, delay=60)
    coalescer.mark("lounge")
    with anyio.fail_after(1):
        await coalescer.aclose()
    assert flushed == ["lounge"]
