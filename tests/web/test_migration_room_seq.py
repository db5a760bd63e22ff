"""Migration 0005: existing messages numbered per room in id order, counters set.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (in a database of
its own on that server, created and dropped here, so the shared test database is
left alone).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from community import db
from community.actions.messages import insert_message

BEFORE = ("0002_meetings", "0004_privacy")
NOW = "2026-11-30 12:00:00+00:00"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set")
    name = f"hearth_migration_{uuid.uuid4().hex[:10]}"
    admin = create_engine(db.normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(db.normalise_url(server)).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _old_rows(url: str) -> dict[str, list[int]]:
    """Two rooms' messages, interleaved, as the schema before 0005 stored them."""
    engine = db.make_engine(url)
    ids: dict[str, list[int]] = {"a": [], "b": []}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (handle, handle_key, password_hash, role, guidelines_version,"
                " guidelines_accepted_at, age_confirmed_at, session_epoch, banned, created_at)"
                " VALUES ('sam', 'sam', 'x', 'member', 'v1', :t, :t, 0, false, :t)"
            ),
            {"t": NOW},
        )
        for slug in ("a", "b", "empty"):
            conn.execute(
                text(
                    "INSERT INTO rooms (name, description, kind, slug, hold_crisis, read_only,"
                    " hidden, created_at) VALUES (:s, '', 'public', :s, false, false, false, :t)"
                ),
                {"s": slug, "t": NOW},
            )
        for i, slug in enumerate("abbabab"):
            status = "held" if i == 3 else "visible"
            row = conn.execute(
                text(
                    "INSERT INTO messages (text, room_id, author_id, client_id, status, created_at)"
                    " SELECT :txt, rooms.id, users.id, :cid, :st, :t FROM rooms, users"
                    " WHERE rooms.slug = :s RETURNING id"
                ),
                {"txt": f"m{i}", "cid": str(uuid.uuid4()), "st": status, "t": NOW, "s": slug},
            ).scalar_one()
            ids[slug].append(row)
    engine.dispose()
    return ids


def test_upgrade_numbers_messages_per_room_in_id_order(empty_database: str) -> None:
    url = empty_database
    cfg = db.alembic_config(url)
    for head in BEFORE:
        command.upgrade(cfg, head)
    ids = _old_rows(url)
    db.upgrade(url)
    engine = db.make_engine(url)
    with engine.begin() as conn:
        seqs = dict(conn.execute(text("SELECT id, room_seq FROM messages")).all())
        counters = dict(conn.execute(text("SELECT slug, last_seq FROM rooms")).all())
        assert [seqs[i] for i in ids["a"]] == [1, 2, 3]  # the held one keeps its number
        assert [seqs[i] for i in ids["b"]] == [1, 2, 3, 4]
        assert counters == {"a": 3, "b": 4, "empty": 0}
        room_b = conn.execute(text("SELECT id FROM rooms WHERE slug = 'b'")).scalar_one()
        author = conn.execute(text("SELECT id FROM users")).scalar_one()
        msg = insert_message(
            conn, room_id=room_b, author_id=author, client_id=str(uuid.uuid4()),
            text="after the upgrade", status="visible",
        )  # fmt: skip
        assert msg.room_seq == 5
    engine.dispose()


def test_downgrade_removes_the_columns(empty_database: str) -> None:
    db.upgrade(empty_database)
    command.downgrade(db.alembic_config(empty_database), "0004_privacy")  # both heads stay
    engine = db.make_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(text("SELECT last_message_at FROM rooms"))
        with pytest.raises(Exception, match="last_seq"):
            conn.execute(text("SELECT last_seq FROM rooms"))
    engine.dispose()
