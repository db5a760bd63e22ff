"""The inference worker: background loading, micro-batches, back-pressure, failure and restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from pathlib import Path

import pytest

from moderation.inference import (
    InferenceWorker,
    ModelHung,
    ModelUnavailable,
    PredictorFailed,
    QueueFull,
    RequestExpired,
)
from moderation.model import load_predictor, resolve_model
from tests.moderation.tiny_model import LABELS, build_tiny_model

Scores = dict[str, float]


def length_scores(texts: list[str]) -> list[Scores]:
    """A stand-in model whose score says which text it saw."""
    return [{"insult": len(t) / 100} for t in texts]


class Gate:
    """A predictor that blocks on chosen texts until released, recording its calls."""

    def __init__(self, block_on: str = "block") -> None:
        self.block_on = block_on
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> list[Scores]:
        self.calls.append(list(texts))
        if self.block_on in texts:
            self.entered.set()
            self.release.wait(10)
        return length_scores(texts)


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


def ready(worker: InferenceWorker) -> InferenceWorker:
    worker.start()
    wait_for(lambda: worker.status()["state"] == "ready")
    return worker


@pytest.fixture
def workers() -> Iterator[list[InferenceWorker]]:
    made: list[InferenceWorker] = []
    yield made
    for worker in made:
        worker.close(timeout=1)


def test_no_model_is_absent_and_fails_fast() -> None:
    worker = InferenceWorker(None, name="original-small")
    worker.start()
    assert worker.status()["state"] == "absent"
    assert worker.status()["model"] is None
    future = worker.submit("hello")
    assert future.done()
    with pytest.raises(ModelUnavailable, match="absent"):
        future.result()
    worker.close()


def test_start_returns_at_once_and_says_loading(workers: list[InferenceWorker]) -> None:
    loaded = threading.Event()

    def slow_loader() -> Callable[[list[str]], list[Scores]]:
        loaded.wait(10)
        return length_scores

    worker = InferenceWorker(slow_loader, name="tiny")
    workers.append(worker)
    started = time.monotonic()
    worker.start()
    assert time.monotonic() - started < 0.1
    assert worker.status()["state"] == "loading"
    with pytest.raises(ModelUnavailable, match="loading"):
        worker.submit("too early").result(timeout=0)
    loaded.set()
    wait_for(lambda: worker.status()["state"] == "ready")
    assert worker.submit("abc").result(timeout=2) == {"insult": 0.03}


def test_load_failure_is_reported(workers: list[InferenceWorker]) -> None:
    def broken() -> Callable[[list[str]], list[Scores]]:
        raise FileNotFoundError("no checkpoint here")

    worker = InferenceWorker(broken, name="tiny")
    workers.append(worker)
    worker.start()
    wait_for(lambda: worker.status()["state"] == "failed")
    assert "no checkpoint here" in str(worker.status()["error"])
    with pytest.raises(ModelUnavailable, match="failed"):
        worker.submit("x").result(timeout=0)


def test_concurrent_submits_share_batches(workers: list[InferenceWorker]) -> None:
    sizes: list[int] = []

    def slowish(texts: list[str]) -> list[Scores]:
        sizes.append(len(texts))
        time.sleep(0.01)  # like a model: texts arrive while a batch runs
        return length_scores(texts)

    worker = ready(InferenceWorker(lambda: slowish, max_batch=32))
    workers.append(worker)
    texts = ["x" * n for n in range(1, 81)]
    futures: dict[str, Future[Scores]] = {}

    def submit_all(part: list[str]) -> None:
        for text in part:
            futures[text] = worker.submit(text)

    threads = [threading.Thread(target=submit_all, args=(texts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for text, future in futures.items():
        assert future.result(timeout=5) == {"insult": len(text) / 100}
    assert sum(sizes) == len(texts)
    assert len(sizes) < len(texts) / 4
    assert max(sizes) <= 8
    assert worker.status()["scored"] == len(texts)


def test_a_batch_is_scored_in_slices_sorted_by_length(workers: list[InferenceWorker]) -> None:
    gate = Gate()
    worker = ready(InferenceWorker(lambda: gate, max_batch=6, slice_size=3, max_wait=0))
    workers.append(worker)
    worker.submit("block")
    assert gate.entered.wait(2)
    lengths = [7, 2, 9, 1, 5, 3, 8, 4]
    futures = [worker.submit("y" * n) for n in lengths]
    gate.release.set()
    assert [f.result(timeout=2)["insult"] for f in futures] == [n / 100 for n in lengths]
    # The first six waiting texts, sorted, in two slices; then the remaining two.
    assert [[len(t) for t in call] for call in gate.calls[1:]] == [[1, 2, 3], [5, 7, 9], [4, 8]]


def test_full_queue_fails_at_once_without_blocking(workers: list[InferenceWorker]) -> None:
    gate = Gate()
    worker = ready(InferenceWorker(lambda: gate, queue_size=3, max_wait=0))
    workers.append(worker)
    first = worker.submit("block")
    assert gate.entered.wait(2)
    queued = [worker.submit(t) for t in ("a", "bb", "ccc")]
    started = time.monotonic()
    overflow = worker.submit("dddd")
    assert time.monotonic() - started < 0.5
    with pytest.raises(QueueFull):
        overflow.result(timeout=0)
    assert worker.status()["queue"] == 3
    gate.release.set()
    assert [f.result(timeout=2)["insult"] for f in (first, *queued)] == [0.05, 0.01, 0.02, 0.03]


def test_predictor_error_fails_its_batch_and_serving_goes_on(
    workers: list[InferenceWorker],
) -> None:
    def picky(texts: list[str]) -> list[Scores]:
        if "boom" in texts:
            raise ValueError("the input text may appear here")
        return length_scores(texts)

    worker = ready(InferenceWorker(lambda: picky, max_wait=0))
    workers.append(worker)
    with pytest.raises(PredictorFailed, match="ValueError") as error:
        worker.submit("boom").result(timeout=2)
    assert "input text" not in str(error.value)  # message text stays out of errors and logs
    assert worker.submit("fine").result(timeout=2) == {"insult": 0.04}
    assert worker.status()["failed_batches"] == 1
    assert worker.status()["state"] == "ready"


def test_wrong_number_of_results_is_an_error(workers: list[InferenceWorker]) -> None:
    worker = ready(InferenceWorker(lambda: lambda texts: [], max_wait=0))
    workers.append(worker)
    with pytest.raises(PredictorFailed, match="0 results for 1 texts"):
        worker.submit("x").result(timeout=2)


def test_hung_model_is_abandoned_and_reloaded(workers: list[InferenceWorker]) -> None:
    gates: list[Gate] = []

    def loader() -> Gate:
        gates.append(Gate())
        return gates[-1]

    worker = ready(InferenceWorker(loader, watchdog=0.2, max_wait=0))
    workers.append(worker)
    hung = worker.submit("block")
    with pytest.raises(ModelHung):
        hung.result(timeout=3)
    assert worker.status()["restarts"] == 1
    wait_for(lambda: worker.status()["state"] == "ready")
    assert len(gates) == 2  # a fresh model, loaded by a fresh thread
    assert worker.submit("after").result(timeout=2) == {"insult": 0.05}
    assert gates[1].calls == [["after"]]
    gates[0].release.set()  # the abandoned thread finishes and exits quietly
    wait_for(lambda: not any(t.name == "inference-0" for t in threading.enumerate()))


def test_close_fails_pending_and_stops(workers: list[InferenceWorker]) -> None:
    gate = Gate()
    worker = ready(InferenceWorker(lambda: gate, max_wait=0))
    running = worker.submit("block")
    assert gate.entered.wait(2)
    waiting = worker.submit("later")
    gate.release.set()
    worker.close(timeout=2)
    for future in (running, waiting):
        assert future.done()
    with pytest.raises(ModelUnavailable, match="closed"):
        waiting.result(timeout=0)
    assert worker.status()["state"] == "closed"
    with pytest.raises(ModelUnavailable):
        worker.submit("x").result(timeout=0)
    assert not any(t.name.startswith("inference-") and t.is_alive() for t in worker._threads)


def test_cancelled_and_stale_texts_are_not_scored(workers: list[InferenceWorker]) -> None:
    gate = Gate()
    worker = ready(InferenceWorker(lambda: gate, max_wait=0, stale_after=0.3))
    workers.append(worker)
    worker.submit("block")
    assert gate.entered.wait(2)
    cancelled, stale = worker.submit("gone"), worker.submit("old")
    assert cancelled.cancel()
    time.sleep(0.4)
    gate.release.set()
    with pytest.raises(RequestExpired):
        stale.result(timeout=2)
    fresh = worker.submit("new")
    assert fresh.result(timeout=2) == {"insult": 0.03}
    assert ["gone"] not in gate.calls and ["old"] not in gate.calls


def test_real_tiny_model_through_the_worker(tmp_path: Path, workers: list[InferenceWorker]) -> None:
    checkpoint, config_dir = build_tiny_model(tmp_path)
    spec = resolve_model(None, tmp_path, checkpoint=checkpoint, config_dir=config_dir)
    assert spec is not None
    worker = ready(InferenceWorker(lambda: load_predictor(spec), name=spec.name))
    workers.append(worker)
    futures = [worker.submit(t) for t in ("you are an idiot", "hello friend", "hang in there")]
    done, _ = wait(futures, timeout=5)
    assert len(done) == 3
    for future in futures:
        scores = future.result()
        assert sorted(scores) == sorted(LABELS)
        assert all(0.0 <= p <= 1.0 for p in scores.values())
    assert worker.status()["model"] == "tiny"
