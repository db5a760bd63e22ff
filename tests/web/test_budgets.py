"""Page-weight budgets for slow links, measured on the bytes the app really serves.

The room page (HTML + CSS + JS) must stay under 60 KB uncompressed and 20 KB gzip; the help
page under 15 KB; static assets carry content-hash URLs and may be cached for a year; nothing
is fetched from another site. Numbers are printed (run with -s) for docs/web-client.md.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import uuid
from dataclasses import dataclass

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from community import db
from community.models import Message, Room, User
from community.settings import Settings
from community.web import STATIC_DIR
from tests.conftest import login_browser, make_room, register

ROOM_RAW_BUDGET = 60 * 1024
ROOM_GZIP_BUDGET = 20 * 1024
HELP_BUDGET = 15 * 1024
HISTORY = 50  # the room page shows the last 50 messages
PAGES = ("/", "/login", "/register", "/guidelines", "/help", "/no-such-page")
SUBRESOURCE = re.compile(
    r"""(?:src|srcset|poster|data)\s*=\s*["']([^"']+)|<link\b[^>]*\bhref=["']([^"']+)"""
)


@dataclass
class Served:
    raw: int  # bytes after decompression
    wire: int  # bytes on the wire
    encoding: str
    cache_control: str
    body: bytes


def fetch(client: TestClient, url: str) -> Served:
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as r:
        assert r.status_code in (200, 404), (url, r.status_code)
        wire = b"".join(r.iter_raw())
        encoding = r.headers.get("content-encoding", "")
        cache = r.headers.get("cache-control", "")
    body = gzip.decompress(wire) if encoding == "gzip" else wire
    return Served(len(body), len(wire), encoding, cache, body)


def assets_of(html: str) -> list[str]:
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    js = re.findall(r'<script src="([^"]+)"', html)
    return css + js


def _seed_history(settings: Settings, slug: str, handle: str) -> None:
    engine = db.make_engine(settings.database_url)
    with db.session_scope(engine) as s:
        room = s.exec(select(Room).where(Room.slug == slug)).one()
        user = s.exec(select(User).where(User.handle_key == handle)).one()
        assert room.id is not None
        for i in range(HISTORY):
            text = f"Message {i}: today was hard but I got through it, thanks for listening all."
            s.add(
                Message(room_id=room.id, author_id=user.id, client_id=str(uuid.uuid4()), text=text)
            )
    engine.dispose()


@pytest.fixture
def room_client(client: TestClient, settings: Settings) -> TestClient:
    register(client, "river")
    make_room(settings, "welcome", members=("river",))
    _seed_history(settings, "welcome", "river")
    login_browser(client, "river")
    return client


def test_room_page_within_budget(room_client: TestClient) -> None:
    page = fetch(room_client, "/rooms/welcome")
    html = page.body.decode()
    assert html.count('class="msg"') == HISTORY
    assets = [fetch(room_client, url) for url in assets_of(html)]
    assert len(assets) == 2  # one stylesheet, one script
    raw = page.raw + sum(a.raw for a in assets)
    wire = page.wire + sum(a.wire for a in assets)
    print(
        f"\nroom page: html {page.raw}/{page.wire} B, assets "
        + ", ".join(f"{a.raw}/{a.wire} B" for a in assets)
        + f"; total {raw} B raw, {wire} B gzip"
    )
    assert raw < ROOM_RAW_BUDGET
    assert wire < ROOM_GZIP_BUDGET
    assert page.encoding == "gzip" and all(a.encoding == "gzip" for a in assets)


def test_static_assets_have_content_hash_urls_and_immutable_caching(
    room_client: TestClient,
) -> None:
    html = room_client.get("/rooms/welcome").text
    for url in assets_of(html):
        path, _, query = url.partition("?")
        served = fetch(room_client, url)
        expected = hashlib.sha256((STATIC_DIR / path.removeprefix("/static/")).read_bytes())
        assert query == f"v={expected.hexdigest()[:12]}", url
        assert "immutable" in served.cache_control and "max-age=31536000" in served.cache_control
    # Without the hash the file may change under the same URL: short caching only.
    bare = fetch(room_client, "/static/js/room.js")
    assert "immutable" not in bare.cache_control


def test_help_page_is_small_and_plain(client: TestClient) -> None:
    page = client.get("/help", headers={"Accept-Language": "en-US"})
    size = len(page.content)
    print(f"\nhelp page: {size} B")
    assert page.status_code == 200 and size < HELP_BUDGET
    assert "<script" not in page.text  # works with no JavaScript at all
    assert 'href="tel:' in page.text


def test_no_page_loads_anything_from_another_site(room_client: TestClient) -> None:
    for path in (*PAGES, "/rooms/welcome"):
        html = room_client.get(path).text
        for match in SUBRESOURCE.finditer(html):
            url = match.group(1) or match.group(2)
            same_site = url.startswith("/") and not url.startswith("//")
            assert same_site or url.startswith("data:"), (path, url)
    for asset in ("css/hearth.css", "js/room.js"):
        text = (STATIC_DIR / asset).read_text()
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import|https?://", text), asset


def test_crisis_card_page_still_fits_budget(room_client: TestClient, settings: Settings) -> None:
    """The no-JS page after a crisis message carries the card too; it must stay light."""
    html = room_client.get("/rooms/welcome").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    r = room_client.post(
        "/rooms/welcome/messages",
        data={"csrf_token": token.group(1), "text": "I have the pills ready tonight"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = fetch(room_client, "/rooms/welcome")
    assert b"crisis-card" in page.body
    assert page.wire < ROOM_GZIP_BUDGET // 2
