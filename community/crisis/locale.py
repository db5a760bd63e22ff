"""Choosing whose crisis lines to show: profile country, then browser region, then fallback."""

from __future__ import annotations

import re

from community.crisis.models import INTERNATIONAL, Directory

# Headers are attacker-controlled; a real browser sends a handful of ranges.
_MAX_HEADER = 1000
_MAX_RANGES = 32
_QVALUE = re.compile(r"^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$")
_REGION = re.compile(r"^[A-Za-z]{2}$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}$")


def resolve_country(
    profile_country: str | None, accept_language: str | None, directory: Directory
) -> str:
    """The directory key to show: a country code the directory knows, or ``"international"``.

    A profile country always wins, even one the directory does not know: someone who says they
    live in France must not be sent to UK lines because their browser is set to en-GB; they get
    the international directory and "your local emergency number" instead.
    """
    profile = (profile_country or "").strip().upper()
    if _REGION.match(profile):
        return profile if directory.knows(profile) else INTERNATIONAL
    for region in accept_language_regions(accept_language):
        if directory.knows(region):
            return region
    return INTERNATIONAL


def accept_language_regions(header: str | None) -> list[str]:
    """Regions of an ``Accept-Language`` header in preference order (q-value, then position).

    ``"fr;q=0.5, en-GB"`` -> ``["GB"]``: ranges without a region (``en``), with a numeric
    region (``es-419``), with q=0 or a malformed q-value contribute nothing.
    """
    if not header or len(header) > _MAX_HEADER:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:_MAX_RANGES]):
        parsed = _parse_range(item)
        if parsed is not None and parsed[0] > 0:
            ranked.append((-parsed[0], position, parsed[1]))
    regions: list[str] = []
    for _, _, region in sorted(ranked):
        if region not in regions:
            regions.append(region)
    return regions


def _parse_range(item: str) -> tuple[float, str] | None:
    """``" en-GB;q=0.8"`` -> ``(0.8, "GB")``; None when there is no usable region or q."""
    tag, *params = (part.strip() for part in item.split(";"))
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            if not _QVALUE.match(value.strip()):
                return None
            quality = float(value)
    subtags = tag.replace("_", "-").split("-")
    if not _LANGUAGE.match(subtags[0]):
        return None
    # The region follows the language and an optional 4-letter script: zh-Hant-TW -> TW.
    for subtag in subtags[1:3]:
        if _REGION.match(subtag):
            return quality, subtag.upper()
    return None
