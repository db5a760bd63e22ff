"""Import every module that defines tables, so metadata is complete (Alembic, tests)."""

from __future__ import annotations

from community import models  # noqa: F401
from community.meetings import tables as meeting_tables  # noqa: F401
