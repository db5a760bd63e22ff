from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from community.crisis import (
    INTERNATIONAL,
    Directory,
    DirectoryError,
    DirectoryHolder,
    load_directory,
)
from tests.crisis.conftest import WriteOverride, country, service

EXPECTED_EMERGENCY = {
    "US": ("911",),
    "CA": ("911",),
    "GB": ("999",),
    "IE": ("112", "999"),
    "AU": ("000",),
    "NZ": ("111",),
    "IN": ("112",),
}


def _doc(countries: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "version": "test-1", "countries": countries, **extra}


def test_builtin_has_every_reference_country_with_source_and_date(directory: Directory) -> None:
    assert {code: res.emergency for code, res in directory.countries.items()} == EXPECTED_EMERGENCY
    for res in [*directory.countries.values(), directory.international]:
        assert res.services, res.code
        for svc in res.services:
            assert svc.source.startswith("https://")
            assert svc.last_verified == "2026-11"
    assert directory.international.emergency == ()
    assert directory.international.emergency_text == "your local emergency number"


def test_us_shows_both_services(directory: Directory) -> None:
    names = [svc.name for svc in directory.for_country("US").services]
    assert names == ["988 Suicide & Crisis Lifeline", "Crisis Text Line"]


def test_unknown_or_missing_country_falls_back_to_international(directory: Directory) -> None:
    assert directory.for_country("FR").code == INTERNATIONAL
    assert directory.for_country(None).code == INTERNATIONAL
    assert directory.for_country("gb").code == "GB"


def test_others_lists_every_other_country_by_name(directory: Directory) -> None:
    others = directory.others("GB")
    assert [res.code for res in others] == ["AU", "CA", "IN", "IE", "NZ", "US"]
    assert len(directory.others(INTERNATIONAL)) == 7


def test_override_replaces_and_extends(write_override: WriteOverride) -> None:
    path = write_override(
        _doc({"GB": country(name="United Kingdom", emergency=["999", "112"]), "FR": country()})
    )
    directory = load_directory(path)
    assert directory.for_country("GB").emergency == ("999", "112")
    assert [svc.name for svc in directory.for_country("GB").services] == ["Test Line"]
    assert directory.for_country("FR").name == "Testland"
    assert directory.for_country("US").emergency == ("911",)  # untouched built-in
    assert directory.international.services[0].name.startswith("Find A Helpline")
    assert directory.origin == ("built-in 2026.11", f"{path} test-1")


def test_override_can_replace_the_international_fallback(write_override: WriteOverride) -> None:
    fallback = country(name="Elsewhere", emergency=[], services=[service(name="Local list")])
    directory = load_directory(write_override(_doc({}, international=fallback)))
    assert directory.international.services[0].name == "Local list"
    assert directory.for_country("ZZ").name == "Elsewhere"


MALFORMED: list[tuple[str, Any, str]] = [
    ("bad json", '{"schema_version": 1, "countries": {', "not valid JSON"),
    ("not an object", "[]", "document: expected an object"),
    ("wrong schema version", _doc({}) | {"schema_version": 2}, "schema_version: must be 1"),
    (
        "missing field",
        _doc({"FR": country(services=[{"name": "X", "contacts": []}])}),
        "countries.FR.services[0].last_verified: missing field",
    ),
    (
        "misspelt field",
        _doc({"FR": country(services=[service(hour="24/7")])}),
        "countries.FR.services[0].hour: unknown field",
    ),
    (
        "bad date",
        _doc({"FR": country(services=[service(last_verified="2026-13-01")])}),
        "countries.FR.services[0].last_verified: expected a date like '2026-11'",
    ),
    (
        "unknown contact kind",
        _doc({"FR": country(services=[service(contacts=[{"kind": "fax", "value": "1"}])])}),
        "countries.FR.services[0].contacts[0].kind: unknown contact kind 'fax'",
    ),
    (
        "no emergency number",
        _doc({"FR": country(emergency=[])}),
        "countries.FR.emergency: a country needs at least one emergency number",
    ),
    (
        "bad phone number",
        _doc({"FR": country(services=[service(contacts=[{"kind": "call", "value": "tel:1"}])])}),
        "countries.FR.services[0].contacts[0].value: expected a phone number",
    ),
    (
        "plain http chat",
        _doc(
            {
                "FR": country(
                    services=[service(contacts=[{"kind": "chat", "value": "http://x.org"}])]
                )
            }
        ),
        "contacts[0].value: expected an https:// URL",
    ),
    (
        "keyword on a call",
        _doc(
            {
                "FR": country(
                    services=[service(contacts=[{"kind": "call", "value": "1", "keyword": "HI"}])]
                )
            }
        ),
        "contacts[0].keyword: only 'text' contacts take a keyword",
    ),
    ("bad country code", _doc({"France": country()}), "countries.France: key must be an ISO 3166"),
    (
        "no services",
        _doc({"FR": country(services=[])}),
        "countries.FR.services: expected a non-empty",
    ),
]


@pytest.mark.parametrize(
    ("document", "problem"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_override_names_file_and_problem(
    write_override: WriteOverride, document: Any, problem: str
) -> None:
    path = write_override(document)
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_every_problem_is_reported_at_once(write_override: WriteOverride) -> None:
    path = write_override(
        _doc({"FR": country(emergency=[]), "DE": country(services=[service(source="ftp://x")])})
    )
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert len(caught.value.problems) == 2
    assert all(
        message.startswith(f"crisis lines file {path}:") for message in caught.value.messages()
    )


def test_missing_override_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DirectoryError, match="cannot read the file"):
        load_directory(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("document", "problem"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_holder_keeps_builtin_in_force_after_bad_override(
    write_override: WriteOverride, caplog: pytest.LogCaptureFixture, document: Any, problem: str
) -> None:
    holder = DirectoryHolder()
    with caplog.at_level(logging.ERROR, logger="community.crisis.directory"):
        errors = holder.reload(write_override(document))
    assert any(problem in error for error in errors)
    assert holder.errors == errors
    assert problem in caplog.text
    assert holder.directory.origin == ("built-in 2026.11",)
    assert holder.directory.for_country("GB").emergency == ("999",)


def test_holder_keeps_last_good_override(write_override: WriteOverride, tmp_path: Path) -> None:
    holder = DirectoryHolder()
    assert holder.reload(write_override(_doc({"FR": country()}))) == []
    assert holder.reload(tmp_path / "missing.json") != []
    assert holder.directory.for_country("FR").name == "Testland"
    assert holder.reload(None) == []
    assert holder.directory.for_country("FR").code == INTERNATIONAL
