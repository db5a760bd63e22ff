"""Typed, immutable view of the crisis-lines directory.

Pure data plus the few derived strings (links, accessible labels) that the card, the help page
and the websocket payload must agree on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args
from urllib.parse import quote, urlsplit

ContactKind = Literal["call", "text", "chat", "email", "web"]
CONTACT_KINDS: tuple[str, ...] = get_args(ContactKind)

#: Key of the fallback entry, used where no country can be resolved or the country is unknown.
INTERNATIONAL = "international"

# Shown in place of a number where we do not know the member's country: a wrong number in a
# crisis is worse than asking them to use the one they know.
LOCAL_EMERGENCY_TEXT = "your local emergency number"

_NOT_DIGIT = re.compile(r"[^0-9+]")


def dial_digits(number: str) -> str:
    """Digits (and a leading +) of a human-formatted number: ``"116 123"`` -> ``"116123"``."""
    return _NOT_DIGIT.sub("", number)


@dataclass(frozen=True, slots=True)
class Contact:
    """One way to reach a service. ``keyword`` is the first word a text line expects."""

    kind: ContactKind
    value: str
    note: str | None = None
    keyword: str | None = None

    @property
    def href(self) -> str:
        """The link a tap opens: ``tel:``, ``sms:`` (``?body=`` keyword), ``mailto:``, https."""
        if self.kind == "call":
            return f"tel:{dial_digits(self.value)}"
        if self.kind == "text":
            body = f"?body={quote(self.keyword)}" if self.keyword else ""
            return f"sms:{dial_digits(self.value)}{body}"
        if self.kind == "email":
            return f"mailto:{self.value}"
        return self.value

    @property
    def label(self) -> str:
        """Visible text and accessible name of the link, e.g. ``Call 988``."""
        if self.kind == "call":
            return f"Call {self.value}"
        if self.kind == "text":
            if self.keyword:
                return f"Text {self.keyword} to {self.value}"
            return f"Text {self.value}"
        if self.kind == "email":
            return f"Email {self.value}"
        host = urlsplit(self.value).hostname or self.value
        return f"Chat at {host}" if self.kind == "chat" else f"Visit {host}"


@dataclass(frozen=True, slots=True)
class Service:
    """A crisis line. ``hours`` is None and ``languages`` empty where the source does not say."""

    name: str
    contacts: tuple[Contact, ...]
    source: str
    last_verified: str
    hours: str | None = None
    languages: tuple[str, ...] = ()
    audience: tuple[str, ...] = ("everyone",)

    @property
    def summary(self) -> str:
        """Facts line like ``"Open 24/7 · English, French"``; empty where the source is silent."""
        facts = [f"Open {self.hours}"] if self.hours else []
        if self.languages:
            facts.append(", ".join(self.languages))
        groups = [group for group in self.audience if group != "everyone"]
        if groups:
            facts.append("Also for " + ", ".join(groups))
        return " · ".join(facts)


@dataclass(frozen=True, slots=True)
class CountryResources:
    """Everything shown for one country (or the international fallback)."""

    code: str
    name: str
    emergency: tuple[str, ...]
    services: tuple[Service, ...]

    @property
    def is_international(self) -> bool:
        return self.code == INTERNATIONAL

    @property
    def emergency_text(self) -> str:
        """``"911"``, ``"112 or 999"``, or "your local emergency number" when none is known."""
        return " or ".join(self.emergency) if self.emergency else LOCAL_EMERGENCY_TEXT

    @property
    def emergency_contacts(self) -> tuple[Contact, ...]:
        return tuple(Contact(kind="call", value=number) for number in self.emergency)


@dataclass(frozen=True, slots=True)
class Directory:
    """Countries by ISO 3166 alpha-2 code plus the international fallback."""

    countries: Mapping[str, CountryResources]
    international: CountryResources
    version: str
    origin: tuple[str, ...] = ()

    def knows(self, code: str | None) -> bool:
        return code is not None and code.upper() in self.countries

    def for_country(self, code: str | None) -> CountryResources:
        """The country's resources; the international fallback for None or an unknown code."""
        if code is None:
            return self.international
        return self.countries.get(code.upper(), self.international)

    def others(self, code: str | None) -> list[CountryResources]:
        """Every country except ``code`` (and the fallback), by name: the help page's list."""
        skip = code.upper() if code else None
        rest = (res for key, res in self.countries.items() if key != skip)
        return sorted(rest, key=lambda res: res.name)
