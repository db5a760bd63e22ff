"""The live room in a real browser: two members talking, the crisis card, hostile text,
and the same room with JavaScript switched off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, expect

from tests.browser.conftest import Site, log_texts, pair, send, shot

pytestmark = pytest.mark.browser

CRISIS = "I have the pills ready tonight"


def test_two_members_exchange_messages_live(site: Site) -> None:
    alex, blake, slug = pair(site)
    send(alex, "Hi Blake, how was today?")
    expect(blake.locator("#messages .msg-text", has_text="how was today")).to_be_visible()
    send(blake, "Better than yesterday, thanks")
    expect(alex.locator("#messages .msg-text", has_text="Better than")).to_be_visible()
    expect(alex.locator("#outbox li")).to_have_count(0)  # acknowledged and moved into the log
    for page in (alex, blake):
        assert log_texts(page) == ["Hi Blake, how was today?", "Better than yesterday, thanks"]
    expect(alex.locator("#presence")).to_have_text("2 people here")
    shot(alex, "room.png")


def test_crisis_card_for_the_author_only_and_alert_in_the_queue(site: Site) -> None:
    queue = site.login(site.register("morgan", role="moderator"))
    queue.goto(site.url("/moderation"))
    expect(queue.locator("#q-live")).to_have_attribute("data-state", "connected")
    alex, blake, slug = pair(site)

    send(alex, CRISIS)
    card = alex.locator("#crisis-card")
    expect(card).to_be_visible()
    expect(card).to_be_focused()  # read once, on focus; not in any live region
    emergency = card.locator("a.crisis-link--emergency").first
    expect(emergency).to_have_attribute("href", "tel:911")
    expect(card).to_contain_text("If you're in danger right now, call 911.")
    assert card.locator("a[href^='sms:']").count() >= 1  # tap-to-text
    expect(card).to_contain_text("Only you can see this message.")
    expect(card).to_contain_text("A peer moderator has been told")
    assert alex.locator("#messages [aria-live], #messages [role=alert]").count() == 0
    shot(alex, "crisis-card.png")

    expect(blake.locator("#messages .msg-text", has_text=CRISIS)).to_be_visible()
    expect(blake.locator(".crisis-card")).to_have_count(0)

    expect(queue.locator("#q-alert")).to_be_visible()
    expect(queue.locator("#q-alert")).to_contain_text(slug)
    expect(queue.locator("#queue li.q-item").first).to_be_visible()
    shot(queue, "moderation-queue.png")


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click me</a>',
    '"><svg onload=alert(1)>',
]


def test_hostile_text_is_shown_as_text(site: Site) -> None:
    alex, blake, slug = pair(site)
    dialogs: list[str] = []

    def caught(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()  # an open dialog would freeze the page

    for page in (alex, blake):
        page.on("dialog", caught)
    for text in PAYLOADS:
        send(alex, text)
        expect(alex.locator("#outbox li")).to_have_count(0)
    expect(blake.locator("#messages li[data-id]")).to_have_count(len(PAYLOADS))
    assert log_texts(blake) == PAYLOADS  # live rendering (JS)
    blake.reload()  # server rendering (Jinja)
    assert log_texts(blake) == PAYLOADS
    for page in (alex, blake):
        log = page.locator("#messages")
        assert log.locator("script, img, svg, a[href^='javascript']").count() == 0
    assert dialogs == []


def test_room_works_without_javascript(site: Site) -> None:
    handle = site.register("alex")
    slug = site.room("welcome", members=(handle,))
    page = site.login(handle, java_script_enabled=False)
    page.goto(site.url(f"/rooms/{slug}"))
    expect(page.locator("#link-state")).to_have_text("Live updates off")
    page.fill("#text", "Posting with scripts off")
    page.click("#compose button[type=submit]")
    expect(page.locator("#messages .msg-text")).to_have_text(["Posting with scripts off"])
    page.fill("#text", CRISIS)
    page.click("#compose button[type=submit]")
    card = page.locator(".crisis-card")
    expect(card).to_be_visible()
    expect(card.locator("a[href='tel:911']").first).to_be_visible()
    expect(page.locator("#messages .msg-text")).to_have_count(2)
