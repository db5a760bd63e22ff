"""One thread that scores texts with a model in micro-batches, supervised by a watchdog.

The event loop never waits on this module: ``submit`` returns a future at once (failed
already when the model is not ready or the queue is full), and callers wait on it with
their own timeout, after which the rule checks decide alone.  Cancelled futures (as
``asyncio.wait_for`` on ``asyncio.wrap_future`` leaves them) are skipped unscored.

A model that hangs cannot be interrupted from Python, so after ``watchdog`` seconds on
one batch its thread is abandoned (a daemon: it dies with the process) and a fresh
thread loads a fresh model.  Message text is never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field

from moderation.types import ScorerBusy

logger = logging.getLogger(__name__)

Scores = dict[str, float]
Predictor = Callable[[list[str]], list[Scores]]
Loader = Callable[[], Predictor]


class InferenceError(Exception):
    """Base of the errors a scoring future can fail with."""


class ModelUnavailable(InferenceError):
    """No model is ready: absent, loading, failed, restarting or closed."""


class QueueFull(InferenceError, ScorerBusy):
    """More texts are waiting than the queue holds; this one was not queued."""


class PredictorFailed(InferenceError):
    """The model raised on this text's batch (the worker keeps serving)."""


class ModelHung(InferenceError):
    """The model ran past the watchdog limit on this batch; it is being restarted."""


class RequestExpired(InferenceError):
    """The text waited in the queue longer than ``stale_after``; its answer would be unused."""


@dataclass
class _Request:
    text: str
    future: Future[Scores] = field(default_factory=Future)
    queued_at: float = field(default_factory=time.monotonic)


def settle(future: Future[Scores], result: Scores | None, error: BaseException | None) -> None:
    """Resolve a scoring future unless its caller already gave up on it."""
    # A future may already be cancelled by its caller or failed by the watchdog.
    try:
        if error is not None:
            future.set_exception(error)
        elif result is not None:
            future.set_result(result)
    except InvalidStateError:
        pass


def _failed(error: BaseException) -> Future[Scores]:
    future: Future[Scores] = Future()
    future.set_exception(error)
    return future


class InferenceWorker:
    """Scores texts on one worker thread; see the module docstring.

    ``loader`` builds the predictor (called on the worker thread, again after each
    restart); None means no model is configured and status stays ``absent``.  The
    worker takes up to ``max_batch`` waiting texts (waiting up to ``max_wait`` for more
    to arrive), sorts them by length and calls the predictor on slices of
    ``slice_size``: short slices pad little and let early answers beat the caller's
    timeout.  ``watchdog`` limits one predictor call.
    """

    def __init__(
        self,
        loader: Loader | None,
        *,
        max_batch: int = 32,
        max_wait: float = 0.010,
        queue_size: int = 1024,
        slice_size: int = 8,
        watchdog: float = 5.0,
        stale_after: float = 2.0,
        name: str | None = None,
    ) -> None:
        if min(max_batch, queue_size, slice_size) < 1 or max_wait < 0 or watchdog <= 0:
            raise ValueError("sizes must be >= 1, max_wait >= 0 and watchdog > 0")
        self._loader = loader
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._queue_size = queue_size
        self._slice_size = slice_size
        self._watchdog = watchdog
        self._stale_after = stale_after
        self._name = name
        self._cond = threading.Condition()
        self._pending: deque[_Request] = deque()
        self._state = "absent" if loader is None else "stopped"
        self._error: str | None = None
        self._generation = 0
        self._batch: list[_Request] = []
        self._batch_started: float | None = None
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []
        self._counts = {"restarts": 0, "batches": 0, "scored": 0, "failed_batches": 0}

    # -- public interface -------------------------------------------------------------

    def start(self) -> None:
        """Begin loading the model in the background; returns at once."""
        with self._cond:
            if self._loader is None or self._state != "stopped":
                return
            self._state = "loading"
            self._spawn_locked()
        watchdog = threading.Thread(target=self._watch, name="inference-watchdog", daemon=True)
        watchdog.start()
        self._threads.append(watchdog)

    def submit(self, text: str) -> Future[Scores]:
        """Queue ``text`` for scoring; never blocks.  The future may already be failed."""
        with self._cond:
            if self._state != "ready":
                return _failed(ModelUnavailable(f"model is {self._state}"))
            if len(self._pending) >= self._queue_size:
                return _failed(QueueFull(f"{self._queue_size} texts already waiting"))
            request = _Request(text)
            self._pending.append(request)
            self._cond.notify_all()
        return request.future

    def status(self) -> dict[str, object]:
        """A snapshot for /healthz and moderators: state, model name, queue, counters."""
        with self._cond:
            return {
                "state": self._state,
                "model": self._name if self._loader is not None else None,
                "queue": len(self._pending),
                "queue_size": self._queue_size,
                "error": self._error,
                **self._counts,
            }

    def close(self, timeout: float = 5.0) -> None:
        """Stop the worker, fail everything pending, and join the threads (up to ``timeout``)."""
        with self._cond:
            self._closed.set()
            self._state = "closed"
            self._generation += 1
            self._fail_locked(self._batch, ModelUnavailable("worker closed"))
            self._fail_pending_locked(ModelUnavailable("worker closed"))
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    # -- worker thread ----------------------------------------------------------------

    def _spawn_locked(self) -> None:
        generation = self._generation
        thread = threading.Thread(
            target=self._run, args=(generation,), name=f"inference-{generation}", daemon=True
        )
        thread.start()
        # Abandoned (hung) threads are not joined: only the live one and the watchdog.
        self._threads = [t for t in self._threads if t.name == "inference-watchdog"]
        self._threads.append(thread)

    def _run(self, generation: int) -> None:
        predictor = self._load(generation)
        if predictor is None:
            return
        while (batch := self._next_batch(generation)) is not None:
            # Sorted by length, so each slice pads little; answers go out slice by slice.
            for start in range(0, len(batch), self._slice_size):
                part = batch[start : start + self._slice_size]
                if not self._score(generation, predictor, part):
                    return

    def _load(self, generation: int) -> Predictor | None:
        assert self._loader is not None
        try:
            predictor = self._loader()
        except Exception as exc:
            logger.exception("model %s failed to load", self._name)
            with self._cond:
                if generation == self._generation:
                    self._state, self._error = "failed", f"load failed: {exc}"
            return None
        with self._cond:
            if generation != self._generation:
                return None
            self._state, self._error = "ready", None
            logger.info("model %s ready", self._name)
        return predictor

    def _next_batch(self, generation: int) -> list[_Request] | None:
        """Wait for texts, then up to ``max_wait`` more for the batch to fill.

        Returns the batch sorted by text length (possibly empty when every waiting text
        was cancelled or stale), or None when this thread should stop.
        """
        with self._cond:
            while not self._pending and generation == self._generation:
                self._cond.wait()
            fill_by = time.monotonic() + self._max_wait
            while len(self._pending) < self._max_batch and generation == self._generation:
                left = fill_by - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            if generation != self._generation:
                return None
            batch = sorted(self._take_locked(), key=lambda r: len(r.text))
            if batch:
                self._batch, self._batch_started = batch, time.monotonic()
            return batch

    def _take_locked(self) -> list[_Request]:
        now, batch = time.monotonic(), list[_Request]()
        while self._pending and len(batch) < self._max_batch:
            request = self._pending.popleft()
            if now - request.queued_at > self._stale_after:
                settle(request.future, None, RequestExpired("waited too long for the model"))
            elif request.future.set_running_or_notify_cancel():
                batch.append(request)
        return batch

    def _score(self, generation: int, predictor: Predictor, batch: list[_Request]) -> bool:
        """Score one slice of the current batch; False when this thread was abandoned."""
        results: list[Scores] | None = None
        error: InferenceError | None = None
        try:
            results = predictor([r.text for r in batch])
            if len(results) != len(batch):
                error = PredictorFailed(f"{len(results)} results for {len(batch)} texts")
        except Exception as exc:
            # The exception text may quote the input: log its type only.
            logger.warning("model %s raised %s on a batch", self._name, type(exc).__name__)
            error = PredictorFailed(f"model raised {type(exc).__name__}")
            error.__cause__ = exc
        with self._cond:
            if generation != self._generation:
                return False  # the watchdog already failed this batch and restarted the model
            # The watchdog times each slice: the rest of the batch starts its clock now.
            self._batch = self._batch[len(batch) :]
            self._batch_started = time.monotonic() if self._batch else None
            self._counts["batches"] += 1
            if error is not None or results is None:
                self._counts["failed_batches"] += 1
                self._fail_locked(batch, error or PredictorFailed("no results"))
                return True
            self._counts["scored"] += len(batch)
        for request, scores in zip(batch, results, strict=True):
            settle(request.future, scores, None)
        return True

    # -- watchdog ---------------------------------------------------------------------

    def _watch(self) -> None:
        interval = min(0.1, self._watchdog / 4)
        while not self._closed.wait(interval):
            with self._cond:
                started = self._batch_started
                if started is not None and time.monotonic() - started > self._watchdog:
                    self._restart_locked()

    def _restart_locked(self) -> None:
        logger.error("model %s hung for over %.1fs; restarting it", self._name, self._watchdog)
        self._fail_locked(self._batch, ModelHung(f"model ran over {self._watchdog}s"))
        self._fail_pending_locked(ModelUnavailable("model restarting"))
        self._batch, self._batch_started = [], None
        self._generation += 1
        self._counts["restarts"] += 1
        self._state, self._error = "restarting", f"hung over {self._watchdog}s"
        self._cond.notify_all()
        self._spawn_locked()

    def _fail_locked(self, batch: list[_Request], error: InferenceError) -> None:
        for request in batch:
            settle(request.future, None, error)

    def _fail_pending_locked(self, error: InferenceError) -> None:
        while self._pending:
            settle(self._pending.popleft().future, None, error)
