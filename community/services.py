"""Everything the app holds open: built in the lifespan, closed there (never at import)."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from community.broker import Broker
from community.broker.channels import room_channel
from community.broker.coalesce import Coalescer
from community.broker.presence import Presence
from community.broker.ratelimit import RateLimiter
from community.crisis import DirectoryHolder, card_payload, resolve_country
from community.db import make_engine
from community.events import dumps
from community.meetings.scheduler import start_scheduler
from community.models import User
from community.privacy import privacy_loop
from community.retention import start_retention
from community.scoring import model_loader
from community.security import Tokens
from community.settings import Settings
from community.streams import start_stream_scorer
from community.web import make_templates
from community.ws_moderators import WorkspaceChat
from moderation import Pipeline
from moderation.inference import InferenceWorker
from moderation.model import ModelError
from moderation.types import Scorer

if TYPE_CHECKING:
    from community.ws import RoomConnection

log = logging.getLogger("hearth")

# Presence "room" of open moderator queue pages. It must pass the channel-name check
# (letters/digits first); "_" keeps it apart from every room slug (rooms.SLUG_RE).
MODERATORS_ROOM = "staff_moderators"


class CrisisLines:
    """The crisis directory in force and the country choice for one person."""

    def __init__(self, override: str) -> None:
        self.holder = DirectoryHolder()
        self.holder.reload(Path(override) if override else None)

    @property
    def directory(self) -> Any:
        return self.holder.directory

    def country_for(self, profile_country: str | None, accept_language: str | None) -> str:
        return resolve_country(profile_country, accept_language, self.directory)

    def others(self, country: str) -> list[Any]:
        return list(self.directory.others(country))

    def frame(self, conn: HTTPConnection, user: User, notified: bool) -> dict[str, Any]:
        country = self.country_for(user.country, conn.headers.get("accept-language"))
        return card_payload(self.directory.for_country(country), notified)


def moderation_pipeline(settings: Settings, scorer: Scorer | None) -> Pipeline:
    return Pipeline(scorer=scorer, model_timeout=settings.model_timeout_ms / 1000)


def build_scorer(settings: Settings, *, wait: bool = False) -> InferenceWorker | None:
    """The model worker if any model is configured (detoxify, the semantic reader, or
    both); loads in its own thread, from disk only.

    The web app does not wait (it starts at once and reports "loading"); the batch CLI
    waits, so that every line it assesses gets the models' scores.
    """
    try:
        found = model_loader(settings, settings.model_threads)
    except ModelError as e:
        log.error("moderation model not loaded: %s; rule checks decide alone", e)
        return None
    if found is None:
        return None
    loader, name = found
    worker = InferenceWorker(loader, name=name, watchdog=settings.model_watchdog_seconds)
    worker.start()
    deadline = time.monotonic() + 120
    while wait and worker.status().get("state") == "loading" and time.monotonic() < deadline:
        time.sleep(0.05)
    return worker


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    state = app.state
    state.engine = make_engine(settings.database_url, settings.db_timeout_seconds)
    state.tokens = Tokens(settings.secret_key)
    state.templates = make_templates()
    state.crisis = CrisisLines(settings.crisis_lines_file)
    state.crisis_frame = state.crisis.frame
    prefix = state.key_prefix
    state.broker = Broker(settings.broker_url, prefix=prefix, queue_size=settings.subscriber_queue)
    await state.broker.connect()
    state.presence_changes = Coalescer(lambda slug: _publish_presence(state, slug), delay=1.0)
    # on_change: another process died and its entries lapsed; tell that room.
    state.presence = Presence(
        settings.broker_url, prefix=prefix, on_change=state.presence_changes.mark
    )
    await state.presence.connect()
    state.rate_limiter = RateLimiter(
        settings.broker_url,
        rate=settings.rate_limit_per_minute / 60.0,
        burst=settings.rate_limit_burst,
        enabled=settings.rate_limit_enabled,
        prefix=prefix,
    )
    # New accounts per IP: slows down troll waves without blocking a shared library PC.
    state.register_limiter = RateLimiter(
        settings.broker_url,
        rate=settings.registrations_per_hour / 3600.0,
        burst=settings.registrations_per_hour,
        enabled=settings.rate_limit_enabled,
        prefix=prefix,
    )
    # HEARTH_MODERATION_WORKERS=streams on Redis: `hearth worker` processes score.
    remote = await start_stream_scorer(settings, prefix)
    scorer = None if remote is not None else build_scorer(settings)
    state.pipeline = moderation_pipeline(settings, remote or scorer)
    # WorkspaceChat: ChatService + alerting the facilitator when no moderator is online.
    state.chat = WorkspaceChat(
        state.engine, state.broker, state.pipeline, settings.max_message_chars
    )
    state.chat.moderators_online = lambda: _count(state.presence, MODERATORS_ROOM)
    state.presence_join = lambda conn: _join(state, conn)
    state.presence_leave = lambda conn: _leave(state, conn)
    state.meeting_scheduler = start_scheduler(state)  # opens/closes meeting rooms on time
    retention = start_retention(state.engine, settings.flag_text_retention_days)
    privacy = asyncio.create_task(privacy_loop(state.engine, settings), name="privacy-jobs")
    _tune_gc(settings.gc_thresholds)
    try:
        yield
    finally:
        retention.cancel()
        privacy.cancel()
        await state.meeting_scheduler.aclose()
        await state.presence_changes.aclose()
        await state.chat.close()
        await state.rate_limiter.aclose()
        await state.register_limiter.aclose()
        await state.presence.disconnect()
        await state.broker.disconnect()
        if scorer is not None:
            scorer.close()
        if remote is not None:
            await remote.aclose()
        state.engine.dispose()


def _tune_gc(thresholds: tuple[int, int, int] | None) -> None:
    """Fewer, cheaper garbage collections: their pauses were the latency tail.

    A full collection walks every live object, and with a thousand sockets that took
    hundreds of milliseconds, stalling every room of the process (bench/RESULTS.md:
    p99 92 -> 57 ms in rooms of 200, 645 -> 262 ms in rooms of 50, and ~20% less CPU).
    What exists once started up (modules, templates, the crisis directory) is frozen
    out of the collector's sight; higher thresholds make collections rarer.
    """
    if thresholds is None:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)


async def _count(presence: Presence, room: str) -> int:
    return len(await presence.members(room))


async def _join(state: Any, conn: RoomConnection) -> None:
    await state.presence.join(conn.room.slug, conn.conn_id, conn.user.handle)
    state.presence_changes.mark(conn.room.slug)


async def _leave(state: Any, conn: RoomConnection) -> None:
    await state.presence.leave(conn.room.slug, conn.conn_id)
    state.presence_changes.mark(conn.room.slug)


async def _publish_presence(state: Any, slug: str) -> None:
    handles = sorted(await state.presence.members(slug))
    event = {"type": "presence", "room": slug, "count": len(handles), "handles": handles}
    await state.chat.publish(room_channel(slug), dumps(event))
