"""Accessibility checks in the browser (WCAG 2.2 AA basics): roles and live regions,
labels, keyboard focus, target sizes, reflow at 320 px and at 200% zoom, and the
"Get help now" link in the same place on every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, open_room, send

pytestmark = pytest.mark.browser

# Controls that are not links inside a sentence (WCAG 2.5.8 exempts those).
TARGETS = "header a, header button, #compose textarea, #compose button, .msg-report, .crisis-link"

UNLABELLED = """() => {
  const named = e => (e.getAttribute('aria-label') || e.textContent || '').trim().length > 0;
  const bad = [];
  for (const e of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
    const label = e.labels && e.labels.length > 0 && [...e.labels].some(named);
    const aria = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
    if (!label && !aria) bad.push(e.outerHTML);
  }
  for (const e of document.querySelectorAll('a[href], button')) {
    if (!named(e)) bad.push(e.outerHTML);
  }
  return bad;
}"""

SMALL = """([selector, min]) => [...document.querySelectorAll(selector)]
  .filter(e => e.offsetParent !== null)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
  .filter(([, r]) => r.width < min || r.height < min)
  .map(([h, r]) => `${h} ${r.width}x${r.height}`)"""

FOCUS_RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const again = e.dataset.tabbed === 'y';
  e.dataset.tabbed = 'y';
  return [e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim().slice(0, 20),
          s.outlineStyle, parseFloat(s.outlineWidth), again];
}"""


def _room_with_talk(site: Site, **options: Any) -> Page:
    a = site.register("alex")
    slug = site.room("quiet", members=(a,))
    page = site.login(a, **options)
    open_room(page, site, slug)
    send(page, "A long word: " + "x" * 120)  # must wrap, not push the page sideways
    send(page, "I have the pills ready tonight")  # brings the crisis card and its links
    expect(page.locator("#crisis-card")).to_be_visible()
    expect(page.locator("#messages li[data-id]")).to_have_count(2)
    return page


def test_roles_labels_and_live_regions(site: Site) -> None:
    page = _room_with_talk(site)
    assert page.get_attribute("html", "lang") == "en"
    log = page.locator("[role=log]")
    expect(log).to_have_count(1)
    assert log.get_attribute("aria-label")
    # Exactly one polite live region (the log): nothing is ever announced twice.
    polite = page.locator("[aria-live=polite], [role=status], [role=log]")
    expect(polite).to_have_count(1)
    expect(page.locator("[aria-live=assertive], [role=alert]")).to_have_count(1)
    assert page.evaluate(UNLABELLED) == []
    expect(page.locator("main#main")).to_have_count(1)
    expect(page.locator("nav[aria-label]")).to_have_count(1)
    expect(page.get_by_role("textbox", name="Your message")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_visible()


def test_keyboard_focus_is_always_visible(site: Site) -> None:
    page = _room_with_talk(site)
    page.reload()  # focus starts at the top of the document
    open_room(page, site, page.url.rsplit("/", 1)[1])
    seen: list[str] = []
    while True:
        page.keyboard.press("Tab")
        name, style, width, again = page.evaluate(FOCUS_RING)
        if name.startswith("BODY") or again or len(seen) > 40:
            break  # off the end of the page
        seen.append(name)
        assert style != "none" and width >= 2, (name, style, width)
    assert "Skip to content" in seen[0], seen
    assert any(n.startswith("TEXTAREA#text") for n in seen), seen
    assert any(n.startswith("BUTTON") and "Send" in n for n in seen), seen
    assert sum("Report" in n for n in seen) == 2, seen  # one per message


def test_target_sizes_on_desktop_and_touch(site: Site) -> None:
    desk = _room_with_talk(site)
    assert desk.evaluate(SMALL, [TARGETS, 24]) == []
    touch = _room_with_talk(
        site, viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True
    )
    assert touch.evaluate("matchMedia('(pointer: coarse)').matches")
    assert touch.evaluate(SMALL, [TARGETS, 44]) == []
    form = site.context().new_page()
    form.goto(site.url("/register"))  # logged out: inputs and checkboxes
    assert form.evaluate(SMALL, ["input:not([type=hidden]), button, header a", 24]) == []


@pytest.mark.parametrize(
    "viewport",
    [{"width": 320, "height": 640}, {"width": 640, "height": 400}],
    ids=["320px", "200pct"],
)
def test_reflows_without_horizontal_scroll(site: Site, viewport: dict[str, int]) -> None:
    """320 CSS px wide (WCAG 1.4.10), and 1280x800 at 200% zoom (= 640x400 CSS px)."""
    page = _room_with_talk(site, viewport=viewport)
    for path in ("/", "/help", "/guidelines", page.url):
        page.goto(path if path.startswith("http") else site.url(path))
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)
    # At 200% zoom the form must not stick over the messages (focus would be hidden).
    position = page.evaluate("getComputedStyle(document.getElementById('compose')).position")
    assert position == ("static" if viewport["height"] < 576 else "sticky")


def test_get_help_now_is_in_the_same_place_on_every_page(site: Site) -> None:
    handle = site.register("alex")
    slug = site.room("help", members=(handle,))
    page = site.login(handle)
    anon = site.context().new_page()
    boxes = []
    for p, path in [
        (anon, "/"),
        (anon, "/login"),
        (anon, "/register"),
        (page, "/"),
        (page, "/help"),
        (page, "/guidelines"),
        (page, f"/rooms/{slug}"),
        (page, "/nope"),
    ]:
        p.goto(site.url(path))
        if path == "/nope":
            site.errors.clear()  # the browser logs the 404 we asked for
        link = p.locator("header nav a").nth(1)
        expect(link).to_have_text("Get help now")
        assert link.get_attribute("href") == "/help"
        box = link.bounding_box()
        assert box
        boxes.append((round(box["x"]), round(box["y"])))
    assert len(set(boxes)) == 1, boxes
