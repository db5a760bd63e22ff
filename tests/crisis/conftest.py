from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, select_autoescape

from community.crisis import Directory, load_directory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Stands in for the lead's base.html so these tests do not depend on a file in flux; it mirrors
# its contract: blocks `title` and `content`.
_TEST_BASE = (
    "<!doctype html><html lang=en><head><title>{% block title %}{% endblock %}</title></head>"
    "<body><main>{% block content %}{% endblock %}</main></body></html>"
)


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_directory()


@pytest.fixture(scope="session")
def env() -> Environment:
    loader = ChoiceLoader([DictLoader({"base.html": _TEST_BASE}), FileSystemLoader(TEMPLATES)])
    return Environment(loader=loader, autoescape=select_autoescape(default=True))


def service(**overrides: Any) -> dict[str, Any]:
    """A valid service entry for override files; keyword arguments replace fields."""
    entry: dict[str, Any] = {
        "name": "Test Line",
        "contacts": [{"kind": "call", "value": "0800 123 456"}],
        "source": "https://example.org/line",
        "last_verified": "2027-01-15",
    }
    entry.update(overrides)
    return entry


def country(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": "Testland", "emergency": ["112"], "services": [service()]}
    entry.update(overrides)
    return entry


WriteOverride = Callable[[Any], Path]


@pytest.fixture
def write_override(tmp_path: Path) -> WriteOverride:
    """Write a document (dict -> JSON, str -> verbatim) to a real file and return its path."""

    def write(document: Any) -> Path:
        path = tmp_path / "crisis_lines.json"
        text = document if isinstance(document, str) else json.dumps(document)
        path.write_text(text, encoding="utf-8")
        return path

    return write
