"""Browser tests: Playwright driving Debian's chromium against a real uvicorn process.

Never downloads a browser. Without /usr/bin/chromium the tests are skipped with the reason,
unless HEARTH_REQUIRE_BROWSER=1 (CI sets it): then a missing browser fails the run.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from sqlmodel import select

from community import db
from community.models import Message, Room, User
from community.settings import Settings, load_settings
from tests.conftest import PASSWORD, _empty_tables, make_room, set_role
from tests.servers import ROOT, Server, free_port, running, server_env

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
MISSING = "Debian chromium not installed: apt-get install chromium"
_serial = itertools.count(1)
NETWORK_NOISE = re.compile(r"WebSocket connection to .* failed|net::ERR_INTERNET_DISCONNECTED")


# Package scope: Playwright's sync API keeps an asyncio loop running in this thread;
# it must be stopped before the rest of the suite calls asyncio.run().
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("HEARTH_REQUIRE_BROWSER") == "1":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="package")
def app_settings(
    _sqlite_template: Path, _postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """One database for the whole browser suite: a server start costs seconds, so tests share
    one process and keep apart by unique handles and room names (`Site.name`)."""
    if _postgres_url:
        _empty_tables(_postgres_url)
        url = _postgres_url
    else:
        path = tmp_path_factory.mktemp("browser") / "hearth.db"
        shutil.copy(_sqlite_template, path)
        url = f"sqlite:///{path}"
    return replace(load_settings(), database_url=url, broker_url="memory://")


@pytest.fixture(scope="package")
def server(app_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("server")
    env = server_env(
        tmp,
        app_settings.database_url,
        "memory://",
        HEARTH_RATE_LIMIT_BURST="1000",
        HEARTH_MEETINGS_TICK_SECONDS="3600",
    )
    srv = Server(free_port(), env, tmp / "server.log")
    with running([srv]):
        yield srv


@dataclass
class Site:
    """One running app plus helpers to make members and log them in, each in their own
    browser context (separate cookies, like separate people)."""

    server: Server
    settings: Settings
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    serial: int = field(default_factory=lambda: next(_serial))
    _used: set[str] = field(default_factory=set)

    def name(self, base: str) -> str:
        """A handle or room slug unique in the run (the database is shared by all tests)."""
        name = f"{base}-{self.serial}"
        while name in self._used:
            name += "x"
        self._used.add(name)
        return name

    def url(self, path: str) -> str:
        return self.server.url + path

    def register(self, base: str, role: str | None = None) -> str:
        """Register a member; returns their (unique) handle."""
        handle = self.name(base)
        body = {
            "handle": handle,
            "password": PASSWORD,
            "accept_guidelines": True,
            "age_confirmed": True,
        }
        r = httpx.post(self.url("/api/auth/register"), json=body, timeout=10)
        assert r.status_code == 201, r.text
        if role:
            set_role(self.settings, handle, role)
        return handle

    def room(self, base: str, members: tuple[str, ...]) -> str:
        """Create a public room with these members; returns its (unique) slug."""
        slug = self.name(base)
        make_room(self.settings, slug, members=members)
        return slug

    def context(self, **options: Any) -> BrowserContext:
        options.setdefault("locale", "en-US")  # Accept-Language picks the US crisis lines
        ctx = self.browser.new_context(**options)
        self.contexts.append(ctx)
        return ctx

    def login(self, handle: str, **options: Any) -> Page:
        """A new browser context logged in as `handle`; returns a blank page in it."""
        ctx = self.context(**options)
        html = ctx.request.get(self.url("/login")).text()
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert token, "no CSRF token on /login"
        form = {"handle": handle, "password": PASSWORD, "csrf_token": token.group(1)}
        r = ctx.request.post(self.url("/login"), form=form, max_redirects=0)
        assert r.status == 303, r.text()
        page = ctx.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{handle}: {exc}"))
        page.on("console", lambda m: self._console(handle, m))
        return page

    def _console(self, handle: str, msg: ConsoleMessage) -> None:
        # A refused or dropped socket is what the resilience tests cause on purpose.
        if msg.type == "error" and not NETWORK_NOISE.search(msg.text):
            self.errors.append(f"{handle}: {msg.text}")

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def site(server: Server, app_settings: Settings, browser: Browser) -> Iterator[Site]:
    s = Site(server, app_settings, browser)
    yield s
    s.close()
    assert not s.errors, s.errors  # no script errors, no CSP violations


def open_room(page: Page, site: Site, slug: str) -> None:
    """Open a room and wait until its live link is up and the replay is done."""
    page.goto(site.url(f"/rooms/{slug}"))
    page.wait_for_selector("#link-state[data-state=connected]", timeout=10_000)


def send(page: Page, text: str) -> None:
    page.fill("#text", text)
    page.click("#compose button[type=submit]")


def log_texts(page: Page) -> list[str]:
    return page.locator("#messages li[data-id] .msg-text").all_inner_texts()


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def pair(site: Site) -> tuple[Page, Page, str]:
    """Two members, each in their own browser context, both live in one new room."""
    a, b = site.register("alex"), site.register("blake")
    slug = site.room("welcome", members=(a, b))
    alex, blake = site.login(a), site.login(b)
    open_room(alex, site, slug)
    open_room(blake, site, slug)
    return alex, blake, slug


def seed_messages(settings: Settings, slug: str, handle: str, count: int) -> None:
    """Store `count` ordinary messages directly (history for page-weight tests)."""
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        room = s.exec(select(Room).where(Room.slug == slug)).one()
        user = s.exec(select(User).where(User.handle_key == handle.lower())).one()
        assert room.id is not None
        for i in range(count):
            text = f"Message {i}: today was hard but I got through it, thanks for listening all."
            s.add(
                Message(room_id=room.id, author_id=user.id, client_id=str(uuid.uuid4()), text=text)
            )
    engine.dispose()


def post_without_js(page: Page, site: Site, slug: str, text: str) -> None:
    """Post through the plain HTML form with this page's cookies (no websocket involved)."""
    html = page.context.request.get(site.url(f"/rooms/{slug}")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    form = {"csrf_token": token.group(1), "text": text}
    r = page.context.request.post(site.url(f"/rooms/{slug}/messages"), form=form, max_redirects=0)
    assert r.status == 303, r.text()
