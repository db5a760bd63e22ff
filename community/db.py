"""Engine creation, sessions and migrations.

The schema is owned by Alembic (`community/migrations/`); production paths never
call `create_all()`. SQLite runs in WAL mode so readers never block the writer.
"""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x4EA27  # any fixed number: PostgreSQL advisory lock for migrations


def normalise_url(url: str) -> str:
    """Accept the plain `postgresql://` form operators write; use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, timeout: float = 15.0) -> Engine:
    """An engine whose statements give up after `timeout` seconds of waiting.

    A locked or struggling database then fails a send with a clear error (and a
    rolled-back transaction) instead of hanging the person's message forever.
    """
    url = normalise_url(url)
    parsed = make_url(url)
    ms = int(timeout * 1000)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        args = {"check_same_thread": False, "timeout": timeout}
        engine = create_engine(url, connect_args=args)
        event.listen(engine, "connect", lambda conn, _rec: _sqlite_pragmas(conn, ms))
        return engine
    options = f"-c lock_timeout={ms} -c statement_timeout={ms * 2}"
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args={"options": options}
    )


def _sqlite_pragmas(dbapi_conn: Any, busy_ms: int) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={busy_ms}")
    cur.close()


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be escaped for ConfigParser interpolation (passwords may contain it).
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Migrate; several processes starting at once take turns (a lock), not race."""
    with _migration_lock(url):
        command.upgrade(alembic_config(url), revision)


@contextmanager
def _migration_lock(url: str) -> Iterator[None]:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        target = parsed.database if parsed.database and parsed.database != ":memory:" else None
        if target is None:
            yield
            return
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        with open(f"{target}.migrate-lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
    engine.dispose()


def ping(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def run_db(engine: Engine, fn: Callable[[Session], T]) -> T:
    """Run blocking database work in a thread with its own committed session."""

    def work() -> T:
        with session_scope(engine) as session:
            return fn(session)

    return await asyncio.to_thread(work)
