from __future__ import annotations

import pytest

from community.crisis import INTERNATIONAL, Directory, accept_language_regions, resolve_country


@pytest.mark.parametrize(
    ("profile", "header", "expected"),
    [
        ("GB", "en-US,en;q=0.9", "GB"),  # profile beats the browser
        ("nz", None, "NZ"),  # case-insensitive
        (" ie ", "en-US", "IE"),
        ("FR", "en-GB", INTERNATIONAL),  # a known-but-absent profile country is not overridden
        (None, "en-GB,en;q=0.9", "GB"),
        ("", "en-AU", "AU"),  # an empty profile setting is no setting
        ("not a country", "en-AU", "AU"),
        (None, "fr-CA", "CA"),
        (None, "en", INTERNATIONAL),  # a bare language has no region
        (None, "de-DE,en-IN;q=0.5", "IN"),  # first region the directory knows
        (None, "en-GB;q=0.3,en-US;q=0.8", "US"),  # q-values order, not position
        (None, "en-US;q=0,en-GB;q=0.1", "GB"),  # q=0 means "not acceptable"
        (None, "zh-Hant-TW,en-NZ;q=0.2", "NZ"),  # script subtag skipped; TW unknown
        (None, "es-419,en_IE;q=0.5", "IE"),
        (None, "*", INTERNATIONAL),
        (None, "", INTERNATIONAL),
        (None, None, INTERNATIONAL),
    ],
)
def test_resolution_order(
    directory: Directory, profile: str | None, header: str | None, expected: str
) -> None:
    assert resolve_country(profile, header, directory) == expected


def test_equal_q_values_keep_header_order() -> None:
    assert accept_language_regions("en-NZ;q=0.5, en-AU;q=0.5, en-GB") == ["GB", "NZ", "AU"]


@pytest.mark.parametrize(
    "header", ["en-GB;q=2", "en-GB;q=abc", "en-GB;q=0.12345", "en-GB;q=", "123-GB", "-GB"]
)
def test_malformed_ranges_are_ignored(header: str) -> None:
    assert accept_language_regions(header) == []


def test_oversized_header_is_ignored() -> None:
    assert accept_language_regions("en-GB," * 500) == []
