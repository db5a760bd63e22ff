"""The queue: what is in it, in which order, what each item shows; reports; claims."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

from sqlmodel import select

from community.actions.moderation import do_claim
from community.actions.moderation_base import ModerationError
from community.db import session_scope
from community.models import Flag, StaffNote, utcnow
from tests.conftest import csrf_of, login_browser
from tests.workspace.conftest import HARMFUL, HIGH, IMMINENT, LOW, World


def _queue_ids(world: World) -> list[int]:
    html = world.client.get("/moderation", headers=world.auth("mona")).text
    return [int(x) for x in re.findall(r'<li class="q-item[^"]*" id="f(\d+)"', html)]


def _report(world: World, who: str, message_id: int, reason: str, note: str = "") -> int:
    r = world.client.post(
        f"/api/messages/{message_id}/report",
        json={"reason": reason, "note": note},
        headers=world.auth(who),
    )
    assert r.status_code == 201, r.text
    return int(r.json()["flag_id"])


def test_queue_orders_crisis_first_then_age(world: World) -> None:
    plain = world.send("blake", "hello everyone")["id"]
    harmful = world.flag_id_of(world.send("blake", HARMFUL)["id"])
    low = world.flag_id_of(world.send("alex", LOW)["id"])
    spam = _report(world, "alex", plain, "spam")
    high = world.flag_id_of(world.send("alex", HIGH)["id"])
    at_risk = _report(world, "blake", world.send("alex", "just checking in")["id"], "at_risk")
    imminent = world.flag_id_of(world.send("alex", IMMINENT)["id"])
    # imminent 3; high and the at-risk report 2 (older first); low 1; harmful and spam 0.
    assert _queue_ids(world) == [imminent, high, at_risk, low, harmful, spam]


def test_item_shows_context_history_notes_cues_and_timer(world: World) -> None:
    for i in range(5):
        world.send("blake", f"before {i}")
    old = world.flag_for(world.send("alex", LOW)["id"])
    flagged = world.send("alex", IMMINENT)["id"]
    for i in range(5):
        world.send("blake", f"after {i}")
    with world.session() as s:
        s.add(
            StaffNote(subject_id=world.ids["alex"], author_id=world.ids["mona"], text="Prefers DMs")
        )
        flag = s.exec(select(Flag).where(Flag.message_id == flagged)).one()
        flag.created_at = utcnow() - timedelta(minutes=7)
    html = world.client.get(f"/moderation/flags/{flag.id}", headers=world.auth("mona")).text
    context = re.search(r'<ol class="q-context">(.*?)</ol>', html, re.S)
    assert context is not None
    texts = re.findall(r'<span class="msg-text">([^<]*)</span>', context.group(1))
    # 3 before (the low-crisis message is the nearest), the flagged one, 3 after.
    assert texts == ["before 3", "before 4", LOW, IMMINENT, "after 0", "after 1", "after 2"]
    assert "Flagged" in context.group(1)
    assert "7 min ago" in html and 'class="q-timer"' in html
    assert "Prefers DMs" in html and "Note by mona" in html
    assert "crisis (low), open" in html  # the earlier flag is in alex's recent flags
    assert "intent, means" in html  # this item's matched cues
    assert "Imminent crisis" in html and "Unclaimed" in html and f"#{old.id}" not in html


def test_report_form_from_the_room(world: World) -> None:
    msg = world.send("blake", "buy cheap pills at example.com")["id"]
    login_browser(world.client, "alex")
    room = world.client.get("/rooms/welcome").text
    assert f'href="/rooms/welcome/messages/{msg}/report"' in room
    token = csrf_of(world.client, f"/rooms/welcome/messages/{msg}/report")
    url = f"/rooms/welcome/messages/{msg}/report"
    bad = world.client.post(url, data={"csrf_token": token, "reason": "boring"})
    assert bad.status_code == 400 and "Choose why" in bad.text
    forged = world.client.post(url, data={"csrf_token": "nope", "reason": "spam"})
    assert forged.status_code == 403
    r = world.client.post(
        url, data={"csrf_token": token, "reason": "spam", "note": "ad"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/rooms/welcome"
    flag = world.flag_for(msg)
    assert (flag.source, flag.reason, flag.detail, flag.priority) == ("report", "spam", "ad", 0)
    assert flag.reporter_id == world.ids["alex"] and flag.subject_id == world.ids["blake"]


def test_api_report_rules(world: World) -> None:
    msg = world.send("blake", "hello")["id"]
    url = f"/api/messages/{msg}/report"
    assert world.client.post(url, json={"reason": "spam"}).status_code == 401
    bad = world.client.post(url, json={"reason": "meh"}, headers=world.auth("alex"))
    assert bad.status_code == 400 and bad.json()["code"] == "bad_reason"
    assert world.client.post(url, content=b"[", headers=world.auth("alex")).status_code == 400
    missing = world.client.post(
        "/api/messages/99999/report", json={"reason": "spam"}, headers=world.auth("alex")
    )
    assert missing.status_code == 404
    first = world.client.post(url, json={"reason": "at_risk"}, headers=world.auth("alex"))
    again = world.client.post(url, json={"reason": "at_risk"}, headers=world.auth("alex"))
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["flag_id"] == again.json()["flag_id"]  # one open report per person
    flag = world.flag_for(msg)
    assert flag.priority == 2 and flag.severity == "high"


def test_private_room_report_needs_membership(world: World) -> None:
    with world.session() as s:
        from community.actions.rooms import do_create_room, do_join
        from community.models import User

        room = do_create_room(s, slug="quiet", name="Quiet", creator=None, kind="private")
        alex = s.get(User, world.ids["alex"])
        assert alex is not None
        do_join(s, room, alex)
    msg = world.send("alex", "only for members", slug="quiet")["id"]
    r = world.client.post(
        f"/api/messages/{msg}/report", json={"reason": "spam"}, headers=world.auth("sol")
    )
    assert r.status_code == 403


def test_second_moderator_is_refused_while_claimed(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    assert world.act("mona", flag_id, "claim").status_code == 200
    r = world.act("ada", flag_id, "claim")
    assert r.status_code == 409 and "Already claimed by mona" in r.json()["error"]
    r = world.act("ada", flag_id, "dismiss")  # acting claims too: refused the same way
    assert r.status_code == 409
    assert world.act("mona", flag_id, "claim").status_code == 200  # extend one's own
    html = world.client.get("/moderation", headers=world.auth("ada")).text
    assert "Claimed by mona" in html


def test_claims_expire(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    engine = world.client.app.state.engine  # type: ignore[attr-defined]
    mona, ada = world.user("mona"), world.user("ada")
    then = utcnow() - timedelta(minutes=11)
    with session_scope(engine) as s:
        do_claim(s, flag_id=flag_id, actor=mona, now=then, minutes=10)
    with session_scope(engine) as s:
        flag = do_claim(s, flag_id=flag_id, actor=ada, now=utcnow(), minutes=10)
    assert flag.claimed_by == ada.id


def test_claim_race_has_one_winner(world: World) -> None:
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    engine = world.client.app.state.engine  # type: ignore[attr-defined]
    mona, ada = world.user("mona"), world.user("ada")
    winners: list[str] = []
    losers: list[str] = []
    start = threading.Barrier(8)

    def claim(actor: object) -> None:
        start.wait()
        try:
            with session_scope(engine) as s:
                do_claim(s, flag_id=flag_id, actor=actor, now=utcnow(), minutes=10)  # type: ignore[arg-type]
            winners.append(actor.handle)  # type: ignore[attr-defined]
        except ModerationError as e:
            losers.append(e.code)

    threads = [threading.Thread(target=claim, args=(a,)) for a in [mona, ada] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(winners)) == 1 and set(losers) == {"claimed"}


def test_claim_refusals_for_missing_and_closed(world: World) -> None:
    assert world.act("mona", 99999, "claim").status_code == 404
    flag_id = world.flag_id_of(world.send("alex", HIGH)["id"])
    assert world.act("mona", flag_id, "dismiss").status_code == 200
    r = world.act("mona", flag_id, "claim")
    assert r.status_code == 409 and "dismissed" in r.json()["error"]
    other = world.flag_id_of(world.send("alex", LOW)["id"])
    assert world.act("mona", other, "explode").status_code == 404
