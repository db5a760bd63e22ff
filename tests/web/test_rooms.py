"""Rooms: listing, joining, private rooms, pages, history, health."""

from __future__ import annotations

from starlette.testclient import TestClient

from community.settings import Settings
from tests.conftest import csrf_of, login_browser, make_room, register, set_role


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_pages_render_logged_out(client: TestClient) -> None:
    for path in ("/", "/login", "/register", "/guidelines", "/help"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert 'href="/help"' in r.text and "Get help now" in r.text
    assert client.get("/nope").status_code == 404


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


def test_room_page_requires_login(client: TestClient, settings: Settings) -> None:
    make_room(settings, "welcome")
    r = client.get("/rooms/welcome", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_join_public_room_and_post_without_js(client: TestClient, settings: Settings) -> None:
    register(client, "sam")
    make_room(settings, "welcome")
    login_browser(client, "sam")
    page = client.get("/rooms/welcome")
    assert "Join this room" in page.text
    token = csrf_of(client, "/rooms/welcome")
    r = client.post("/rooms/welcome/join", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(
        "/rooms/welcome/messages", data={"csrf_token": token, "text": "hello <b>all</b>"}
    )
    assert r.status_code == 200
    assert "hello &lt;b&gt;all&lt;/b&gt;" in r.text  # rendered as text, never HTML


def test_private_room_needs_invite(client: TestClient, settings: Settings) -> None:
    token = register(client, "sam")
    room = make_room(settings, "evening", private=True)
    assert "evening" not in client.get("/", headers=_auth(token)).text
    r = client.get("/api/rooms/evening/messages", headers=_auth(token))
    assert r.status_code == 403
    login_browser(client, "sam")
    csrf = csrf_of(client, "/")
    r = client.post("/rooms/evening/join", data={"csrf_token": csrf, "invite_code": "wrong"})
    assert r.status_code == 403 and "invite code" in r.text
    r = client.post(
        "/rooms/evening/join",
        data={"csrf_token": csrf, "invite_code": room.invite_code},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert client.get("/api/rooms/evening/messages").status_code == 200


def test_only_facilitators_create_rooms(client: TestClient, settings: Settings) -> None:
    register(client, "sam")
    login_browser(client, "sam")
    csrf = csrf_of(client, "/")
    r = client.post("/rooms", data={"csrf_token": csrf, "slug": "new-room", "name": "New"})
    assert r.status_code == 403
    set_role(settings, "sam", "facilitator")
    r = client.post(
        "/rooms",
        data={"csrf_token": csrf, "slug": "new-room", "name": "New"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/rooms/new-room"
    r = client.post("/rooms", data={"csrf_token": csrf, "slug": "Bad Slug", "name": "New"})
    assert r.status_code == 400 and "lower-case" in r.text


def test_history_api_validates_params(client: TestClient, settings: Settings) -> None:
    token = register(client, "sam")
    make_room(settings, "welcome", members=("sam",))
    for q in ("after=-1", "after=x", "limit=0", "limit=100000"):
        r = client.get(f"/api/rooms/welcome/messages?{q}", headers=_auth(token))
        assert r.status_code == 400, q
    assert client.get("/api/rooms/missing/messages", headers=_auth(token)).status_code == 404


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["connected"] is True
    assert body["moderation"]["model"]["state"] == "absent"
    assert body["moderation"]["rules"] == "ready"


def test_static_assets_hashed_and_compressed(client: TestClient) -> None:
    html = client.get("/login").text
    import re

    url = re.search(r'href="(/static/css/hearth\.css\?v=[0-9a-f]+)"', html)
    assert url
    r = client.get(url.group(1), headers={"Accept-Encoding": "gzip"})
    assert "immutable" in r.headers["cache-control"]
    assert r.headers.get("content-encoding") == "gzip"
