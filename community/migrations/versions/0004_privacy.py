"""privacy: account deletion requests

Revision ID: 0004_privacy
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import community.models

revision = "0004_privacy"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("deletion_requested_at", community.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("deletion_requested_at")
