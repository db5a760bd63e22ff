"""Import every module that defines tables, so metadata is complete (Alembic, tests)."""

from __future__ import annotations

from community import models  # noqa: F401
