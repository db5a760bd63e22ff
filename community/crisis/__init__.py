"""Crisis resources: the directory of lines by country, choosing one, and the private card.

Pure Python (no Starlette): the web app loads a ``DirectoryHolder`` in its lifespan, resolves
the member's country per request and renders ``templates/partials/crisis.html``.
"""

from __future__ import annotations

from community.crisis.card import card_payload, help_context
from community.crisis.directory import (
    BUILTIN_PATH,
    INTERNATIONAL,
    Contact,
    CountryResources,
    Directory,
    DirectoryError,
    DirectoryHolder,
    Service,
    load_directory,
)
from community.crisis.locale import accept_language_regions, resolve_country

__all__ = [
    "BUILTIN_PATH",
    "INTERNATIONAL",
    "Contact",
    "CountryResources",
    "Directory",
    "DirectoryError",
    "DirectoryHolder",
    "Service",
    "accept_language_regions",
    "card_payload",
    "help_context",
    "load_directory",
    "resolve_country",
]
