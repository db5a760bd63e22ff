"""Only moderators and admins reach the workspace: every endpoint and the socket.

Table-driven: each (endpoint, person) pair is one case. Refusals must also leave no
trace (a refused ban bans nobody, a refused claim claims nothing).
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from starlette.websockets import WebSocketDisconnect

from community.models import AuditEntry, Flag, StaffNote
from tests.conftest import login_browser
from tests.workspace.conftest import HIGH, ORIGIN, World, recv_until

ENDPOINTS = [
    ("GET", "/moderation"),
    ("GET", "/moderation/audit"),
    ("GET", "/moderation/flags/{flag}"),
    ("GET", "/moderation/flags/{flag}?fragment=1"),
    ("GET", "/moderation/members/{alex}"),
    ("POST", "/moderation/flags/{flag}/claim"),
    ("POST", "/moderation/flags/{flag}/remove"),
    ("POST", "/moderation/flags/{flag}/ban"),
    ("POST", "/moderation/flags/{flag}/dismiss"),
    ("POST", "/moderation/members/{alex}/note"),
    ("POST", "/moderation/members/{alex}/mute"),
    ("POST", "/moderation/members/{alex}/ban"),
]
REFUSED = [(None, 401), ("alex", 403), ("fran", 403)]
ALLOWED = ["mona", "ada"]


@pytest.fixture
def flag_id(world: World) -> int:
    ack = world.send("alex", HIGH)
    return int(world.flag_id_of(ack["id"]) or 0)


def _call(world: World, method: str, path: str, who: str | None, flag: int) -> int:
    url = path.format(flag=flag, alex=world.ids["alex"])
    if method == "POST":  # as a browser with a valid CSRF token: access decides alone
        return int(world.form_post(who, url, text="note", reason="test").status_code)
    headers = {"accept": "application/json"}
    if who is not None:
        headers.update(world.auth(who))
    return world.client.get(url, headers=headers).status_code


@pytest.mark.parametrize(("who", "status"), REFUSED)
def test_refused(world: World, flag_id: int, who: str | None, status: int) -> None:
    # One fixture per person (registration is slow); every endpoint in the table.
    for method, path in ENDPOINTS:
        assert _call(world, method, path, who, flag_id) == status, (method, path)
    alex = world.user("alex")
    assert not alex.banned and alex.muted_until is None
    with world.session() as s:
        stored = s.get(Flag, flag_id)
        assert stored is not None and stored.claimed_by is None and stored.status == "open"
        assert s.exec(select(AuditEntry)).all() == []
        assert s.exec(select(StaffNote)).all() == []


@pytest.mark.parametrize("who", ALLOWED)
def test_staff_allowed_to_read(world: World, flag_id: int, who: str) -> None:
    for method, path in ENDPOINTS:
        if method == "GET":
            assert _call(world, method, path, who, flag_id) == 200, path


def test_post_without_csrf_token_is_refused(world: World, flag_id: int) -> None:
    # Cookie sessions need the CSRF token (bearer clients are exempt: no browser adds one).
    login_browser(world.client, "mona")
    r = world.client.post(f"/moderation/flags/{flag_id}/claim")
    assert r.status_code == 403
    assert world.flag(flag_id).claimed_by is None


def test_logged_out_browser_goes_to_login(world: World) -> None:
    r = world.client.get("/moderation", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


@pytest.mark.parametrize("handle", ["alex", "fran"])
def test_non_staff_browser_gets_403_page(world: World, handle: str) -> None:
    login_browser(world.client, handle)
    r = world.client.get("/moderation")
    assert r.status_code == 403 and "Only moderators" in r.text


@pytest.mark.parametrize(("who", "code"), [(None, 4401), ("alex", 4403), ("fran", 4403)])
def test_socket_refused(world: World, who: str | None, code: int) -> None:
    headers = world.auth(who) if who else {"Authorization": "Bearer forged"}
    with world.client.websocket_connect("/ws/moderation", headers=headers) as ws:
        assert recv_until(ws, "error")["code"] in ("unauthorised", "forbidden")
        with pytest.raises(WebSocketDisconnect) as e:
            ws.receive_text()
        assert e.value.code == code


@pytest.mark.parametrize("who", ALLOWED)
def test_socket_allowed(world: World, who: str) -> None:
    with world.client.websocket_connect("/ws/moderation", headers=world.auth(who)) as ws:
        assert recv_until(ws, "hello")["you"] == who


def test_socket_cookie_needs_our_origin(world: World) -> None:
    login_browser(world.client, "mona")
    with (
        pytest.raises(WebSocketDisconnect),
        world.client.websocket_connect("/ws/moderation", headers={"origin": "http://evil.example"}),
    ):
        pass
    with world.client.websocket_connect("/ws/moderation", headers=ORIGIN) as ws:
        assert recv_until(ws, "hello")["you"] == "mona"


def test_moderator_cannot_ban_admin_or_self(world: World, flag_id: int) -> None:
    for target in ("ada", "mona"):
        r = world.form_post("mona", f"/moderation/members/{world.ids[target]}/ban")
        assert r.status_code == 403, target
        assert not world.user(target).banned
