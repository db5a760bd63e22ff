"""The audit log page (filters, no text, append-only) and the flag-text retention job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from community.models import Flag, utcnow
from community.retention import purge_flag_text
from tests.workspace.conftest import HARMFUL, HIGH, World


def _audit_html(world: World, query: str = "") -> str:
    r = world.client.get(f"/moderation/audit{query}", headers=world.auth("ada"))
    assert r.status_code == 200
    return r.text


def test_audit_filters_and_keeps_no_message_text(world: World) -> None:
    high = world.flag_id_of(world.send("alex", HIGH)["id"])
    harmful = world.flag_id_of(world.send("blake", HARMFUL)["id"])
    assert world.act("mona", high, "check_in", reason="r-checkin").status_code == 200
    assert world.act("ada", harmful, "remove", reason="r-remove").status_code == 200
    everything = _audit_html(world)
    assert "r-checkin" in everything and "r-remove" in everything
    assert HIGH not in everything and HARMFUL not in everything
    by_mona = _audit_html(world, "?moderator=mona")
    assert "r-checkin" in by_mona and "r-remove" not in by_mona
    removals = _audit_html(world, "?action=remove")
    assert "r-remove" in removals and "r-checkin" not in removals
    about_alex = _audit_html(world, "?member=Alex")
    assert "r-checkin" in about_alex and "r-remove" not in about_alex
    bad = world.client.get("/moderation/audit?action=erase", headers=world.auth("ada"))
    assert bad.status_code == 400


def test_audit_log_is_append_only(world: World) -> None:
    browser, token = world._browser("ada")  # past the CSRF check: the router decides
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = browser.request(method, "/moderation/audit", data={"csrf_token": token})
        assert r.status_code == 405, method


def test_purge_blanks_only_old_snapshots(world: World) -> None:
    old = world.flag_id_of(world.send("alex", HIGH)["id"])
    new = world.flag_id_of(world.send("alex", "I want to die, honestly")["id"])
    now = utcnow()
    with world.session() as s:
        flag = s.get(Flag, old)
        assert flag is not None
        flag.created_at = now - timedelta(days=31)
    with world.session() as s:
        assert purge_flag_text(s, now, 30) == 1
    with world.session() as s:
        assert purge_flag_text(s, now, 30) == 0  # idempotent
        snapshots = {f.id: f.text_snapshot for f in s.exec(select(Flag)).all()}
    assert snapshots[old] is None and snapshots[new] == "I want to die, honestly"
    with world.session() as s:
        assert purge_flag_text(s, now + timedelta(days=30, seconds=1), 30) == 1


def test_purge_rejects_bad_input(world: World) -> None:
    from datetime import datetime

    with world.session() as s:
        with pytest.raises(ValueError, match="zero or more"):
            purge_flag_text(s, utcnow(), -1)
        with pytest.raises(ValueError, match="aware"):
            purge_flag_text(s, datetime(2026, 1, 1), 30)  # noqa: DTZ001
