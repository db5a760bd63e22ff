"""Shared fixtures: a fresh database per test, the app, clients and users.

The environment is set before anything imports settings. SQLite is the default;
with TEST_DATABASE_URL (CI sets it to the local PostgreSQL) the same tests run
there: migrated once per session, tables emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel
from starlette.testclient import TestClient

os.environ["HEARTH_ENV"] = "test"
os.environ.setdefault("HEARTH_SECRET_KEY", "test-secret-key-that-is-long-enough-for-hearth-0123")
os.environ.setdefault("HEARTH_ENV_FILE", "/nonexistent")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Rules only unless a test turns the semantic reader on: most tests are not about it,
# and each app would load torch and the encoder.
os.environ.setdefault("HEARTH_SEMANTIC_MODEL", "off")
# In-process apps start hundreds of times here: freezing the test process's heap at
# each start would keep every earlier test's objects forever. Server processes keep it.
os.environ.setdefault("HEARTH_GC_THRESHOLDS", "")

from community import db  # noqa: E402
from community.app import create_app  # noqa: E402
from community.settings import Settings, load_settings  # noqa: E402

pytest_plugins = ["tests.redis_fixtures"]

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        db.upgrade(url)
    return url


@pytest.fixture
def database_url(
    _sqlite_template: Path, _postgres_url: str | None, tmp_path: Path
) -> Iterator[str]:
    if _postgres_url:
        _empty_tables(_postgres_url)
        yield _postgres_url
        return
    path = tmp_path / "hearth.db"
    shutil.copy(_sqlite_template, path)
    yield f"sqlite:///{path}"


def _empty_tables(url: str) -> None:
    import community.tables  # noqa: F401

    engine = db.make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    base = load_settings()
    return replace(
        base,
        database_url=database_url,
        broker_url="memory://",
        data_dir=tmp_path,
        model_name="",
        model_checkpoint="",
        ws_ping_seconds=30.0,
    )


def make_client(settings: Settings, **overrides: Any) -> TestClient:
    app = create_app(replace(settings, **overrides), key_prefix=f"t{uuid.uuid4().hex[:10]}")
    return TestClient(app, base_url="http://testserver")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with make_client(settings) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def recv_until(ws: Any, kind: str, limit: int = 50) -> dict[str, Any]:
    """Read frames from a TestClient websocket until one of `kind` arrives."""
    import json

    for _ in range(limit):
        frame = json.loads(ws.receive_text())
        if frame["type"] == kind:
            return frame  # type: ignore[no-any-return]
    raise AssertionError(f"no {kind} frame")


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token its form carries."""
    import re

    html = client.get(path).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def register(client: TestClient, handle: str, password: str = PASSWORD) -> str:
    """Register through the JSON API; returns the bearer token."""
    r = client.post(
        "/api/auth/register",
        json={
            "handle": handle,
            "password": password,
            "accept_guidelines": True,
            "age_confirmed": True,
        },
    )
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


def login_browser(client: TestClient, handle: str, password: str = PASSWORD) -> None:
    token = csrf_of(client, "/login")
    r = client.post(
        "/login",
        data={"handle": handle, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def set_role(settings: Settings, handle: str, role: str) -> None:
    from sqlmodel import select

    from community.models import User

    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        user = s.exec(select(User).where(User.handle_key == handle.lower())).one()
        user.role = role
    engine.dispose()


def make_room(
    settings: Settings, slug: str, *, private: bool = False, members: tuple[str, ...] = ()
) -> Any:
    from sqlmodel import select

    from community.actions.rooms import do_create_room, do_join
    from community.models import User

    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        room = do_create_room(
            s, slug=slug, name=slug.title(), creator=None, kind="private" if private else "public"
        )
        for handle in members:
            user = s.exec(select(User).where(User.handle_key == handle.lower())).one()
            do_join(s, room, user)
    engine.dispose()
    return room
