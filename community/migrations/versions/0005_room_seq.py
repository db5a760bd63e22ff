"""room sequence numbers: messages.room_seq, rooms.last_seq (and one head again)

Live delivery orders a room's messages by a per-room sequence number assigned in
the send transaction. Existing messages are numbered 1, 2, 3... per room in id
order, which is their commit order (each send took the room's row lock before its
insert), and each room's counter starts after its last message.

Also merges the two heads (0002_meetings, 0004_privacy), which are independent.

Revision ID: 0005_room_seq
Revises: 0002_meetings, 0004_privacy
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_room_seq"
down_revision: str | Sequence[str] | None = ("0002_meetings", "0004_privacy")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# UPDATE ... FROM: PostgreSQL, and SQLite from 3.33. One pass, not a query per row.
_NUMBER_MESSAGES = """
UPDATE messages SET room_seq = numbered.seq
FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY room_id ORDER BY id) AS seq FROM messages
) AS numbered
WHERE messages.id = numbered.id
"""
_SET_COUNTERS = """
UPDATE rooms SET last_seq = COALESCE(
    (SELECT MAX(room_seq) FROM messages WHERE messages.room_id = rooms.id), 0
)
"""


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch_op:
        batch_op.add_column(
            sa.Column("last_seq", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("room_seq", sa.Integer(), nullable=True))
    op.execute(_NUMBER_MESSAGES)
    op.execute(_SET_COUNTERS)
    with op.batch_alter_table("messages") as batch_op:
        batch_op.create_index(
            "ix_messages_room_id_room_seq", ["room_id", "room_seq"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_index("ix_messages_room_id_room_seq")
        batch_op.drop_column("room_seq")
    with op.batch_alter_table("rooms") as batch_op:
        batch_op.drop_column("last_seq")
