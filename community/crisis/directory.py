"""Loading the crisis-lines directory: the built-in file, then an operator's override.

An override is a JSON file of the same schema (path from the ``HEARTH_CRISIS_LINES_FILE``
setting). Its countries replace built-in ones with the same code and add new ones; its
``international`` entry, if present, replaces the fallback. A broken override must never leave
people in crisis without lines, so ``DirectoryHolder`` keeps the last good directory in force.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from community.crisis._schema import Document, SchemaError, parse_document
from community.crisis.models import (
    CONTACT_KINDS,
    INTERNATIONAL,
    Contact,
    ContactKind,
    CountryResources,
    Directory,
    Service,
)

__all__ = [
    "BUILTIN_PATH",
    "CONTACT_KINDS",
    "INTERNATIONAL",
    "Contact",
    "ContactKind",
    "CountryResources",
    "Directory",
    "DirectoryError",
    "DirectoryHolder",
    "Service",
    "load_directory",
]

BUILTIN_PATH = Path(__file__).resolve().parent.parent / "data" / "crisis_lines.json"

logger = logging.getLogger(__name__)


class DirectoryError(Exception):
    """A crisis-lines file could not be used; names the file and every problem found."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"crisis lines file {path}: " + "; ".join(problems))

    def messages(self) -> list[str]:
        """One line per problem, each naming the file (for logs and an admin page)."""
        return [f"crisis lines file {self.path}: {problem}" for problem in self.problems]


def load_directory(override: Path | None = None) -> Directory:
    """The built-in directory, extended/replaced by ``override`` when given.

    Raises DirectoryError if the override (or, a packaging bug, the built-in file) is unusable.
    """
    builtin = _read(BUILTIN_PATH, require_international=True)
    assert builtin.international is not None  # guaranteed by require_international
    directory = Directory(
        countries=builtin.countries,
        international=builtin.international,
        version=builtin.version,
        origin=(f"built-in {builtin.version}",),
    )
    if override is None:
        return directory
    extra = _read(override, require_international=False)
    return Directory(
        countries={**directory.countries, **extra.countries},
        international=extra.international or directory.international,
        version=f"{directory.version}+{extra.version}",
        origin=(*directory.origin, f"{override} {extra.version}"),
    )


def _read(path: Path, *, require_international: bool) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DirectoryError(path, [f"cannot read the file: {exc}"]) from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise DirectoryError(path, [problem]) from exc
    try:
        return parse_document(raw, require_international=require_international)
    except SchemaError as exc:
        raise DirectoryError(path, exc.problems) from exc


class DirectoryHolder:
    """The directory in force; reloading a bad override keeps the last good one.

    Create it in the app's lifespan (``holder.reload(settings.crisis_lines_file)``) and read
    ``holder.directory`` per request; ``errors`` keeps the last reload's problems for an admin
    page.
    """

    def __init__(self, directory: Directory | None = None) -> None:
        self._directory = directory if directory is not None else load_directory()
        self.errors: list[str] = []

    @property
    def directory(self) -> Directory:
        return self._directory

    def reload(self, override: Path | None) -> list[str]:
        """Load built-in + ``override``; on failure log, keep the last good one, return errors."""
        try:
            self._directory = load_directory(override)
        except DirectoryError as exc:
            self.errors = exc.messages()
            for message in self.errors:
                logger.error("%s; keeping the directory in force (%s)", message, self._origin())
        else:
            self.errors = []
            logger.info("crisis lines loaded: %s", ", ".join(self._directory.origin))
        return self.errors

    def _origin(self) -> str:
        return ", ".join(self._directory.origin)
