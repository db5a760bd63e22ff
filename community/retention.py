"""The flag-text retention job: a flagged message's text snapshot is kept only so long.

Moderators need the words while they act; after `HEARTH_FLAG_TEXT_RETENTION_DAYS`
(default 30) the snapshot is blanked and only ids, categories and cues remain.
The job runs hourly from the app's lifespan; running it in several processes at
once is harmless (the UPDATE is idempotent).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from community.db import run_db
from community.models import Flag, utcnow

log = logging.getLogger("hearth.retention")

INTERVAL_SECONDS = 3600.0


def purge_flag_text(session: Session, now: datetime, days: int) -> int:
    """Blank the text snapshot of flags raised more than `days` before `now`.

    Returns how many were blanked. `now` must be aware UTC; `days` must be >= 0.
    """
    if days < 0:
        raise ValueError("retention days must be zero or more")
    if now.tzinfo is None:
        raise ValueError("now must be an aware UTC datetime")
    cutoff = now - timedelta(days=days)
    result = session.execute(
        update(Flag)
        .where(col(Flag.created_at) < cutoff, col(Flag.text_snapshot).is_not(None))
        .values(text_snapshot=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def retention_loop(engine: Engine, days: int, interval: float = INTERVAL_SECONDS) -> None:
    """Purge now, then every `interval` seconds, until cancelled; failures are retried."""
    while True:
        try:
            count = await run_db(engine, lambda s: purge_flag_text(s, utcnow(), days))
            if count:
                log.info("blanked the text of %d flags older than %d days", count, days)
        except Exception as exc:
            log.error("flag text retention failed (%s); will retry", type(exc).__name__)
        await asyncio.sleep(interval)


def start_retention(engine: Engine, days: int) -> asyncio.Task[None]:
    """Start the hourly job (call inside the lifespan; cancel the task at shutdown)."""
    return asyncio.create_task(retention_loop(engine, days), name="flag-text-retention")
