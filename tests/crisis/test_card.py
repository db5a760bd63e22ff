from __future__ import annotations

import html
import re
from typing import Any

import pytest
from jinja2 import Environment

from community.crisis import INTERNATIONAL, CountryResources, Directory, card_payload, help_context

CODES = ["US", "CA", "GB", "IE", "AU", "NZ", "IN", INTERNATIONAL]
MODERATOR = "A peer moderator has been told"

EXPECTED_LINKS = {
    "US": {
        "tel:911",
        "tel:988",
        "sms:988",
        "sms:838255",
        "sms:741741?body=HOME",
        "https://988lifeline.org",
    },
    "CA": {"tel:911", "tel:988", "sms:988"},
    "GB": {"tel:999", "tel:116123", "mailto:jo@samaritans.org"},
    "IE": {"tel:112", "tel:999", "tel:116123"},
    "AU": {"tel:000", "tel:131114", "sms:0477131114"},
    "NZ": {"tel:111", "tel:1737", "sms:1737"},
    "IN": {"tel:112", "tel:14416"},
    INTERNATIONAL: {"https://findahelpline.com"},
}


def _card(env: Environment, res: CountryResources, notified: bool) -> str:
    module: Any = env.get_template("partials/crisis.html").module
    return str(module.crisis_card(res, notified))


def _text(markup: str) -> str:
    """Visible text, whitespace collapsed, entities decoded; inline tags join their neighbours."""
    inline_joined = re.sub(r"</?(strong|span|em)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline_joined)).split())


def _links(markup: str) -> set[str]:
    return {html.unescape(href) for href in re.findall(r'href="([^"]+)"', markup)}


def _assert_csp_safe(markup: str) -> None:
    assert "<script" not in markup
    assert "style=" not in markup
    assert not re.search(r"\son[a-z]+=", markup)


@pytest.mark.parametrize("code", CODES)
def test_card_links_per_country(env: Environment, directory: Directory, code: str) -> None:
    card = _card(env, directory.for_country(code), False)
    assert _links(card) == EXPECTED_LINKS[code]
    _assert_csp_safe(card)


@pytest.mark.parametrize("code", CODES)
def test_card_shows_emergency_number_and_a_line(
    env: Environment, directory: Directory, code: str
) -> None:
    res = directory.for_country(code)
    text = _text(_card(env, res, False))
    assert text.startswith("You're not alone.")
    assert f"If you're in danger right now, call {res.emergency_text}." in text
    assert "Hearth is peer support, not an emergency service." in text
    assert any(contact.label in text for svc in res.services for contact in svc.contacts)
    for number in res.emergency:
        assert f"Call {number}" in text


def test_international_card_says_local_emergency_number(
    env: Environment, directory: Directory
) -> None:
    text = _text(_card(env, directory.for_country(INTERNATIONAL), False))
    assert "call your local emergency number." in text
    assert "Visit findahelpline.com" in text


@pytest.mark.parametrize("code", ["US", INTERNATIONAL])
def test_moderator_mentioned_only_when_notified(
    env: Environment, directory: Directory, code: str
) -> None:
    res = directory.for_country(code)
    assert MODERATOR in _text(_card(env, res, True))
    quiet = _text(_card(env, res, False))
    assert "moderator" not in quiet
    assert "You can keep talking here, or reach out to one of these lines any time." in quiet
    assert card_payload(res, True)["moderator_notified"] is True
    quiet_payload = card_payload(res, False)
    assert quiet_payload["moderator_notified"] is False
    assert "moderator" not in " ".join(v for v in quiet_payload.values() if isinstance(v, str))


def test_card_links_have_accessible_names(env: Environment, directory: Directory) -> None:
    card = _card(env, directory.for_country("US"), False)
    names = [_text(inner) for inner in re.findall(r"<a [^>]*>(.*?)</a>", card)]
    assert "Call 988" in names
    assert "Text HOME to 741741" in names
    assert "Call 988 (Veterans: dial 988 then press 1)" in names
    assert all(names)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("notified", [True, False])
def test_payload_matches_rendered_card(
    env: Environment, directory: Directory, code: str, notified: bool
) -> None:
    res = directory.for_country(code)
    payload = card_payload(res, notified)
    text = _text(_card(env, res, notified))
    for key in ("headline", "body", "closing", "disclaimer", "private_note"):
        assert payload[key] in text, key
    hrefs = {c["href"] for s in payload["services"] for c in s["contacts"]}
    hrefs |= {c["href"] for c in payload["emergency"]["contacts"]}
    assert hrefs == EXPECTED_LINKS[code]
    assert payload["type"] == "crisis_resources"
    assert payload["country"] == code


def test_us_payload_shows_both_services(directory: Directory) -> None:
    services = card_payload(directory.for_country("US"), False)["services"]
    assert [s["name"] for s in services] == ["988 Suicide & Crisis Lifeline", "Crisis Text Line"]
    assert services[1]["contacts"][0] == {
        "kind": "text",
        "value": "741741",
        "note": None,
        "label": "Text HOME to 741741",
        "href": "sms:741741?body=HOME",
    }


def _help(env: Environment, directory: Directory, code: str) -> str:
    return env.get_template("help.html").render(**help_context(directory, code))


@pytest.mark.parametrize("code", CODES)
def test_help_page_lists_members_lines_first(
    env: Environment, directory: Directory, code: str
) -> None:
    page = _help(env, directory, code)
    res = directory.for_country(code)
    text = _text(page)
    assert text.startswith("Get help now Get help now If you're in danger right now, call")
    assert f"call {res.emergency_text}." in text
    first = text.index(res.services[0].name)
    for other in directory.others(code):
        assert other.name in text
        assert text.index(other.name) > first
    assert _links(page) >= EXPECTED_LINKS[code] | EXPECTED_LINKS[INTERNATIONAL]
    _assert_csp_safe(page)
    assert len(page.encode()) < 8 * 1024


def test_help_page_sources_and_safe_messaging(env: Environment, directory: Directory) -> None:
    page = _help(env, directory, "GB")
    text = _text(page)
    assert "https://www.samaritans.org" in _links(page)
    assert "checked 2026-11" in text
    assert "Hearth is peer support, not an emergency service" in text
    assert "If you're worried about someone" in text
