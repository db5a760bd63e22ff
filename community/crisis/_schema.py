"""Validation of crisis-lines JSON documents into the directory dataclasses.

Every problem is collected, not just the first, so an operator fixing an override file sees the
whole list in one start-up log. Unknown fields are rejected because a misspelt optional field
(``"hour"``) would otherwise vanish silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import cast

from community.crisis.models import (
    CONTACT_KINDS,
    INTERNATIONAL,
    Contact,
    ContactKind,
    CountryResources,
    Service,
)

SCHEMA_VERSION = 1

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https://[^\s/]+\.[^\s/]+\S*$")
_KEYWORD = re.compile(r"^[A-Za-z0-9]{1,32}$")
_MONTH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

_DOC_FIELDS = ({"schema_version", "countries"}, {"version", "international"})
_COUNTRY_FIELDS = ({"name", "emergency", "services"}, set[str]())
_SERVICE_FIELDS = (
    {"name", "contacts", "source", "last_verified"},
    {"hours", "languages", "audience"},
)
_CONTACT_FIELDS = ({"kind", "value"}, {"note", "keyword"})


class SchemaError(ValueError):
    """A document broke the schema; ``problems`` lists each as ``"where: what"``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Document:
    version: str
    countries: dict[str, CountryResources]
    international: CountryResources | None


def parse_document(raw: object, *, require_international: bool) -> Document:
    """Validate a decoded JSON document; raise SchemaError listing every problem found."""
    reader = _Reader()
    doc = reader.obj(raw, "document", _DOC_FIELDS)
    if doc is None:
        raise SchemaError(reader.problems)
    if type(doc["schema_version"]) is not int or doc["schema_version"] != SCHEMA_VERSION:
        reader.fail("schema_version", f"must be {SCHEMA_VERSION}")
    version = reader.text(doc.get("version", "unversioned"), "version") or ""
    countries = reader.countries(doc["countries"])
    international = None
    if "international" in doc:
        international = reader.country(doc["international"], INTERNATIONAL, INTERNATIONAL)
    elif require_international:
        reader.fail("international", "missing field")
    if reader.problems:
        raise SchemaError(reader.problems)
    return Document(version, countries, international)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def obj(
        self, value: object, where: str, fields: tuple[set[str], set[str]]
    ) -> dict[str, object] | None:
        """The object if it has every required field and nothing unknown, else None."""
        if not isinstance(value, dict):
            self.fail(where, "expected an object")
            return None
        required, optional = fields
        found = len(self.problems)
        for name in sorted(required - value.keys()):
            self.fail(f"{where}.{name}", "missing field")
        for name in sorted(value.keys() - required - optional):
            self.fail(f"{where}.{name}", "unknown field")
        return cast("dict[str, object]", value) if len(self.problems) == found else None

    def text(self, value: object, where: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "expected a non-empty string")
            return None
        return value.strip()

    def texts(self, value: object, where: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.fail(where, "expected a list of strings")
            return ()
        items = (self.text(item, f"{where}[{i}]") for i, item in enumerate(value))
        return tuple(item for item in items if item is not None)

    def items(self, value: object, where: str) -> list[object]:
        if not isinstance(value, list) or not value:
            self.fail(where, "expected a non-empty list")
            return []
        return value

    def countries(self, value: object) -> dict[str, CountryResources]:
        if not isinstance(value, dict):
            self.fail("countries", "expected an object keyed by country code")
            return {}
        result: dict[str, CountryResources] = {}
        for code, entry in value.items():
            if not _COUNTRY_CODE.match(code):
                self.fail(f"countries.{code}", "key must be an ISO 3166 alpha-2 code like 'GB'")
                continue
            country = self.country(entry, f"countries.{code}", code)
            if country is not None:
                result[code] = country
        return result

    def country(self, value: object, where: str, code: str) -> CountryResources | None:
        entry = self.obj(value, where, _COUNTRY_FIELDS)
        if entry is None:
            return None
        name = self.text(entry["name"], f"{where}.name")
        emergency = self.emergency(entry["emergency"], f"{where}.emergency", code)
        raw_services = self.items(entry["services"], f"{where}.services")
        services = [self.service(s, f"{where}.services[{i}]") for i, s in enumerate(raw_services)]
        if name is None or emergency is None or None in services or not services:
            return None
        return CountryResources(code, name, emergency, tuple(s for s in services if s))

    def emergency(self, value: object, where: str, code: str) -> tuple[str, ...] | None:
        # Only the fallback may have none: it tells people to use their local number.
        if code == INTERNATIONAL and value == []:
            return ()
        if not isinstance(value, list) or not value:
            self.fail(where, "a country needs at least one emergency number")
            return None
        numbers: list[object] = value
        found = len(self.problems)
        for i, number in enumerate(numbers):
            if not isinstance(number, str) or not _PHONE.match(number):
                self.fail(f"{where}[{i}]", "expected a phone number like '999'")
        return tuple(cast("list[str]", numbers)) if len(self.problems) == found else None

    def service(self, value: object, where: str) -> Service | None:
        entry = self.obj(value, where, _SERVICE_FIELDS)
        if entry is None:
            return None
        found = len(self.problems)
        raw_contacts = self.items(entry["contacts"], f"{where}.contacts")
        contacts = [self.contact(c, f"{where}.contacts[{i}]") for i, c in enumerate(raw_contacts)]
        hours = entry.get("hours")
        if hours is not None:
            hours = self.text(hours, f"{where}.hours")
        service = Service(
            name=self.text(entry["name"], f"{where}.name") or "",
            contacts=tuple(c for c in contacts if c),
            source=self.url(entry["source"], f"{where}.source"),
            last_verified=self.month(entry["last_verified"], f"{where}.last_verified"),
            hours=hours,
            languages=self.texts(entry.get("languages", []), f"{where}.languages"),
            audience=self.texts(entry.get("audience", ["everyone"]), f"{where}.audience"),
        )
        return service if len(self.problems) == found else None

    def contact(self, value: object, where: str) -> Contact | None:
        entry = self.obj(value, where, _CONTACT_FIELDS)
        if entry is None:
            return None
        kind, raw = entry["kind"], entry["value"]
        if kind not in CONTACT_KINDS:
            expected = ", ".join(CONTACT_KINDS)
            self.fail(
                f"{where}.kind", f"unknown contact kind {kind!r} (expected one of {expected})"
            )
            return None
        found = len(self.problems)
        checked = self.contact_value(kind, raw, f"{where}.value")
        note = self.text(entry["note"], f"{where}.note") if "note" in entry else None
        keyword = self.keyword(entry.get("keyword"), kind, f"{where}.keyword")
        if len(self.problems) != found:
            return None
        return Contact(cast("ContactKind", kind), checked, note, keyword)

    def contact_value(self, kind: str, value: object, where: str) -> str:
        rules = {
            "call": (_PHONE, "a phone number like '116 123'"),
            "text": (_PHONE, "a phone number like '741741'"),
            "email": (_EMAIL, "an email address"),
            "chat": (_URL, "an https:// URL"),
            "web": (_URL, "an https:// URL"),
        }
        pattern, expected = rules[kind]
        if not isinstance(value, str) or not pattern.match(value):
            self.fail(where, f"expected {expected} for a {kind!r} contact")
            return ""
        return value

    def keyword(self, value: object, kind: object, where: str) -> str | None:
        if value is None:
            return None
        if kind != "text":
            self.fail(where, "only 'text' contacts take a keyword")
        elif not isinstance(value, str) or not _KEYWORD.match(value):
            self.fail(where, "expected a single word of letters or digits, like 'HOME'")
        return value if isinstance(value, str) else None

    def url(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not _URL.match(value):
            self.fail(where, "expected an https:// URL")
            return ""
        return value

    def month(self, value: object, where: str) -> str:
        """Accept ``YYYY-MM`` or ``YYYY-MM-DD``: sources are often dated only to the month."""
        if isinstance(value, str) and _MONTH.match(value):
            try:
                date.fromisoformat(value if len(value) == 10 else f"{value}-01")
                return value
            except ValueError:
                pass
        self.fail(where, f"expected a date like '2026-11' or '2026-11-30', got {value!r}")
        return ""
