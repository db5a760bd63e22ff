"""StreamScorer + real workers on a real Redis, with the tiny real model."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import anyio
import pytest
import redis
from typer.testing import CliRunner

from community.cli import app as cli
from community.settings import Settings
from community.streams import GROUP, StreamScorer, moderation_key
from community.worker import StreamWorker, load_scorer
from moderation import Pipeline
from moderation.types import MODEL_ABSENT, MODEL_TIMEOUT, MODEL_USED, Action
from tests.scale.conftest import WorkerProcess, model_env, worker_env

pytestmark = pytest.mark.anyio
BENIGN = "hello friend"  # nothing for the rules: a hold can only come from the model


@contextmanager
def thread_worker(
    settings: Settings, model: tuple[Path, Path], url: str, prefix: str, **options: int
) -> Iterator[StreamWorker]:
    """A StreamWorker serving on a thread of this process, stopped (signed off) on exit."""
    scorer = load_scorer(
        replace(settings, model_checkpoint=str(model[0]), model_config_dir=str(model[1])),
        count=32,
        threads=1,
    )
    client = redis.Redis.from_url(url, decode_responses=True)
    worker = StreamWorker(client, scorer, prefix=prefix, consumer="inthread", **options)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        stop.set()
        thread.join(10)
        scorer.close()
        client.close()


async def until(check: Callable[[], bool], within: float = 10.0) -> None:
    with anyio.fail_after(within):
        while True:
            if check():
                return
            await anyio.sleep(0.02)


def stream_len(url: str, prefix: str) -> int:
    with redis.Redis.from_url(url) as client:
        return int(client.xlen(moderation_key(prefix, "requests")))


async def test_worker_scores_drive_a_pipeline_decision(
    settings: Settings,
    insult_model: tuple[Path, Path],
    redis_url: str,
    redis_prefix: str,
    scorer: StreamScorer,
) -> None:
    pipeline = Pipeline(scorer=scorer, model_timeout=5.0)
    with thread_worker(settings, insult_model, redis_url, redis_prefix) as worker:
        await until(lambda: scorer.status()["state"] == "ready")
        assert scorer.status()["workers"] == 1
        verdict = await pipeline.assess(BENIGN)
        assert verdict.model == MODEL_USED
        assert verdict.action is Action.HOLD and "harassment" in verdict.harmful_categories
        # Several at once: answered from micro-batches, each to its own future.
        many = await asyncio.gather(*(pipeline.assess(f"{BENIGN} {i}") for i in range(40)))
        assert {v.model for v in many} == {MODEL_USED}
        assert worker.counts["scored"] == 41
        assert stream_len(redis_url, redis_prefix) == 0  # no message text left on Redis
    # The worker signed off: no one to ask, so the rules decide at once.
    await until(lambda: scorer.status()["state"] == "no_workers")
    started = time.monotonic()
    verdict = await pipeline.assess(BENIGN)
    assert verdict.model == MODEL_ABSENT and verdict.action is Action.ALLOW
    assert time.monotonic() - started < 0.5
    assert scorer.status()["waiting"] == 0


async def test_late_answers_are_dropped_and_expired_requests_skipped(
    settings: Settings, quiet_model: tuple[Path, Path], redis_url: str, redis_prefix: str
) -> None:
    short = StreamScorer(redis_url, prefix=redis_prefix, expire_after=0.3, poll=0.1)
    await short.start()
    long = StreamScorer(redis_url, prefix=redis_prefix, expire_after=30.0, poll=0.1)
    await long.start()
    try:
        expired = [short.submit(BENIGN) for _ in range(5)]
        cancelled = long.submit(BENIGN)
        cancelled.cancel()  # what the Pipeline's timeout does
        await until(lambda: all(f.done() for f in expired), within=2)
        assert all(isinstance(f.exception(), TimeoutError) for f in expired)
        assert short.status()["waiting"] == long.status()["waiting"] == 0
        with thread_worker(settings, quiet_model, redis_url, redis_prefix) as worker:
            await until(lambda: long.status()["late"] == 1)
            assert worker.counts["expired"] == 5 and worker.counts["scored"] == 1
            assert stream_len(redis_url, redis_prefix) == 0
    finally:
        await short.aclose()
        await long.aclose()


def test_entries_delivered_too_often_or_malformed_are_dropped(
    settings: Settings, quiet_model: tuple[Path, Path], redis_url: str, redis_prefix: str
) -> None:
    stream = moderation_key(redis_prefix, "requests")
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    scorer = load_scorer(
        replace(
            settings, model_checkpoint=str(quiet_model[0]), model_config_dir=str(quiet_model[1])
        ),
        count=32,
        threads=1,
    )
    worker = StreamWorker(
        client, scorer, prefix=redis_prefix, consumer="w", claim_idle_ms=1, max_deliveries=1
    )
    try:
        worker.ensure_group()
        fields = {"id": "1", "text": BENIGN, "reply": "gone", "ttl": "30000"}
        client.xadd(stream, fields)  # type: ignore[arg-type]
        # A worker that read it and died: delivered once already.
        client.xreadgroup(GROUP, "ghost", {stream: ">"})
        client.xadd(stream, {"text": "no reply address"})
        time.sleep(0.01)
        for _ in range(3):
            worker.step()
        assert worker.counts["dropped"] == 1 and worker.counts["scored"] == 0
        assert client.xlen(stream) == 0
        assert client.xpending(stream, GROUP)["pending"] == 0
    finally:
        scorer.close()
        client.close()


@pytest.mark.slow
async def test_killed_worker_entries_are_claimed_by_another(
    settings: Settings,
    insult_model: tuple[Path, Path],
    redis_url: str,
    redis_prefix: str,
    scorer: StreamScorer,
    workers: list[WorkerProcess],
    tmp_path: Path,
) -> None:
    env = worker_env(
        tmp_path,
        settings.database_url,
        redis_url,
        redis_prefix,
        HEARTH_WORKER_CLAIM_IDLE_MS="500",
        **model_env(insult_model),
    )
    first = WorkerProcess(env, "first", tmp_path / "first.log").start()
    second = WorkerProcess(env, "second", tmp_path / "second.log")
    workers.extend([first, second])
    first.wait_ready(redis_url, redis_prefix)
    await until(lambda: scorer.status()["state"] == "ready")
    futures = [scorer.submit(f"{BENIGN} {i}") for i in range(1000)]
    stranded = await _freeze_mid_batch(first, redis_url, redis_prefix)
    first.signal(signal.SIGKILL)
    assert stranded, "the dead worker held read-but-unanswered requests"
    # Its heartbeat has not lapsed yet, so we ask; nobody answers: the rules decide alone.
    pipeline = Pipeline(scorer=scorer, model_timeout=0.3)
    started = time.monotonic()
    verdict = await pipeline.assess(BENIGN)
    assert verdict.model == MODEL_TIMEOUT and verdict.action is Action.ALLOW
    assert time.monotonic() - started < 1.0
    second.start()
    second.wait_ready(redis_url, redis_prefix)
    await until(lambda: all(f.done() for f in futures), within=30)
    # Every stranded request got the model's scores from the second worker.
    assert all(futures[i].result()["insult"] > 0.99 for i in stranded)
    assert scorer.status()["waiting"] == 0
    with redis.Redis.from_url(redis_url, decode_responses=True) as client:
        stream = moderation_key(redis_prefix, "requests")
        # The worker publishes its replies, then acknowledges (one pipeline, in that
        # order): a reply can arrive here just before its XACK has run.
        await until(lambda: client.xpending(stream, GROUP)["pending"] == 0, within=5)
        assert client.xinfo_consumers(stream, GROUP)[0]["name"] == "first"
    await until(lambda: stream_len(redis_url, redis_prefix) == 0)


async def _freeze_mid_batch(worker: WorkerProcess, url: str, prefix: str) -> list[int]:
    """SIGSTOP `worker` while it holds read-but-unanswered requests; their text numbers.

    A stopped process cannot acknowledge, so what XPENDING shows stays stranded.
    """
    stream = moderation_key(prefix, "requests")
    with redis.Redis.from_url(url, decode_responses=True) as client:
        with anyio.fail_after(20):
            while True:
                await anyio.sleep(0.01)  # the loop sends the requests meanwhile
                worker.signal(signal.SIGSTOP)
                await anyio.sleep(0.01)
                pending = client.xpending_range(stream, GROUP, "-", "+", 100, worker.name)
                if pending:
                    break
                worker.signal(signal.SIGCONT)
        ids = [p["message_id"] for p in pending]
        return [int(client.xrange(stream, i, i)[0][1]["text"].split()[-1]) for i in ids]


def test_worker_command_refuses_bad_setups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_BROKER_URL", "memory://")
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 1 and "HEARTH_BROKER_URL=redis://" in result.output
    monkeypatch.setenv("HEARTH_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("HEARTH_MODEL", "")
    monkeypatch.setenv("HEARTH_MODEL_CHECKPOINT", "")
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 1 and "needs a model" in result.output
    monkeypatch.setenv("HEARTH_MODERATION_WORKERS", "threads")
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 1 and "HEARTH_MODERATION_WORKERS" in result.output


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="expire_after"):
        StreamScorer("redis://127.0.0.1:1/0", prefix="p", expire_after=0)
    with pytest.raises(ValueError, match="prefix"):
        StreamScorer("redis://127.0.0.1:1/0", prefix="{bad}", expire_after=1)
