"""The live client under bad conditions: a server restart, a lost link, a reload with
unsent messages, and a slow 3G-like link."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    Site,
    log_texts,
    open_room,
    pair,
    post_without_js,
    seed_messages,
    send,
)
from tests.servers import Server

pytestmark = pytest.mark.browser

SLOW_LINK = {  # Chrome DevTools throttling: ~400 kbit/s each way, 400 ms round trip
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}


def _ids(page: Page) -> list[str]:
    ids: list[str] = page.locator("#messages li[data-id]").evaluate_all("els => els.map(e => e.id)")
    return ids


def _assert_whole(page: Page, texts: list[str]) -> None:
    """Every message exactly once, in order, with no id twice in the DOM."""
    expect(page.locator("#messages li[data-id]")).to_have_count(len(texts), timeout=30_000)
    ids = _ids(page)
    assert len(ids) == len(set(ids)) == len(texts)
    assert sorted(log_texts(page)) == sorted(texts)
    expect(page.locator("#outbox li")).to_have_count(0)


def test_server_restart_mid_conversation(site: Site, server: Server) -> None:
    alex, blake, slug = pair(site)
    sockets: list[str] = []
    alex.on("websocket", lambda ws: sockets.append(ws.url))
    send(alex, "one")
    send(blake, "two")
    expect(alex.locator("#messages li[data-id]")).to_have_count(2)
    last = int(_ids(alex)[-1].removeprefix("m"))

    started = time.monotonic()
    server.stop()
    try:
        expect(alex.locator("#link-state")).not_to_have_attribute("data-state", "connected")
        send(alex, "typed while the server was down")
        expect(alex.locator("#outbox li[data-state=queued]")).to_have_count(1)
    finally:
        server.start()
    # Posted before alex's backoff timer fires: alex must fetch them on resume (?after=).
    post_without_js(blake, site, slug, "three")
    post_without_js(blake, site, slug, "four")
    texts = ["one", "two", "typed while the server was down", "three", "four"]
    for page in (alex, blake):
        _assert_whole(page, texts)
    print(f"\nrecovered {time.monotonic() - started:.1f} s after the server was stopped")
    assert any(f"after={last}" in url for url in sockets[1:]), sockets
    expect(alex.locator("#link-state")).to_have_attribute("data-state", "connected")


def test_offline_messages_wait_and_go_once(site: Site) -> None:
    alex, blake, slug = pair(site)
    alex.context.set_offline(True)
    expect(alex.locator("#link-state")).to_have_text("Offline: messages will send when you're back")
    send(alex, "written on the bus")
    key = f"hearth-outbox:{slug}"
    stored = alex.evaluate("k => JSON.parse(sessionStorage.getItem(k))", key)
    assert [e["text"] for e in stored] == ["written on the bus"]
    alex.context.set_offline(False)
    for page in (alex, blake):
        _assert_whole(page, ["written on the bus"])
    assert alex.evaluate("k => JSON.parse(sessionStorage.getItem(k))", key) == []


def test_unsent_messages_survive_a_reload_without_duplicates(site: Site) -> None:
    alex, blake, slug = pair(site)
    send(alex, "already stored")
    expect(blake.locator("#messages li[data-id]")).to_have_count(1)
    cid = alex.evaluate("() => crypto.randomUUID()")
    # As if the page was reloaded before this message could be sent.
    queue = [{"cid": cid, "text": "queued before the reload"}]
    alex.evaluate(
        "([k, q]) => sessionStorage.setItem(k, JSON.stringify(q))", [f"hearth-outbox:{slug}", queue]
    )
    alex.reload()
    open_room(alex, site, slug)
    for page in (alex, blake):
        _assert_whole(page, ["already stored", "queued before the reload"])
    # Reloaded again before the ack came: the resend (same client_id) is acknowledged with
    # the stored id, not stored twice, and the client drops its copy.
    alex.evaluate(
        "([k, q]) => sessionStorage.setItem(k, JSON.stringify(q))", [f"hearth-outbox:{slug}", queue]
    )
    alex.reload()
    open_room(alex, site, slug)
    expect(alex.locator("#outbox li")).to_have_count(0)
    _assert_whole(alex, ["already stored", "queued before the reload"])
    _assert_whole(blake, ["already stored", "queued before the reload"])


def test_slow_link_loads_the_room_within_5_seconds(site: Site) -> None:
    handle = site.register("sam")
    slug = site.room("rural", members=(handle,))
    seed_messages(site.settings, slug, handle, 50)
    page = site.login(handle)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    started = time.monotonic()
    page.goto(site.url(f"/rooms/{slug}"), wait_until="load")
    loaded = time.monotonic() - started
    page.wait_for_selector("#link-state[data-state=connected]", timeout=10_000)
    live = time.monotonic() - started
    print(f"\nslow link (400 kbit/s, 400 ms RTT): loaded in {loaded:.2f} s, live in {live:.2f} s")
    assert loaded < 5.0
    expect(page.locator("#messages li[data-id]")).to_have_count(50)
    assert hosts == {f"127.0.0.1:{site.server.port}"}  # nothing from any other site
