"""Registration, login, tokens, throttling and CSRF, through HTTP like a real client."""

from __future__ import annotations

from starlette.testclient import TestClient

from community.settings import Settings
from tests.conftest import PASSWORD, csrf_of, login_browser, make_client, register


def _api_register(client: TestClient, **over: object) -> object:
    body = {"handle": "sam", "password": PASSWORD, "accept_guidelines": True, "age_confirmed": True}
    body.update(over)
    return client.post("/api/auth/register", json=body)


def test_register_and_token(client: TestClient) -> None:
    r = _api_register(client)
    assert r.status_code == 201 and r.json()["token"]
    r = client.post("/api/auth/token", json={"handle": "SAM", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["token"]


def test_wrong_password_is_401(client: TestClient) -> None:
    register(client, "sam")
    r = client.post("/api/auth/token", json={"handle": "sam", "password": "wrong password!!"})
    assert r.status_code == 401
    assert "don't match" in r.json()["error"]


def test_duplicate_handle_case_insensitive(client: TestClient) -> None:
    register(client, "sam")
    r = _api_register(client, handle="Sam")
    assert r.status_code == 409 and "taken" in r.json()["error"]


def test_weak_password(client: TestClient) -> None:
    for pw in ("short", "aaaaaaaaaaaa", "sam-sam-sam-sam"):
        r = _api_register(client, password=pw)
        assert r.status_code == 400 and r.json()["field"] == "password", pw


def test_guidelines_and_age_required(client: TestClient) -> None:
    r = _api_register(client, accept_guidelines=False)
    assert r.status_code == 400 and r.json()["field"] == "accept_guidelines"
    r = _api_register(client, age_confirmed=False)
    assert r.status_code == 400 and "16" in r.json()["error"]


def test_handle_rules(client: TestClient) -> None:
    for handle, fragment in [
        ("ab", "3 to 24"),
        ("admin", "reserved"),
        ("bad handle", "letters"),
        ("x" * 25, "3 to 24"),
        ("-dash", "letters"),
    ]:
        r = _api_register(client, handle=handle)
        assert r.status_code == 400 and fragment in r.json()["error"], handle


def test_malformed_json_body(client: TestClient) -> None:
    json_type = {"Content-Type": "application/json"}
    r = client.post("/api/auth/register", content=b"{not json", headers=json_type)
    assert r.status_code == 400
    r = client.post("/api/auth/token", content=b"[1,2]", headers=json_type)
    assert r.status_code == 400
    # Without a JSON content type (what a cross-site form could send): refused outright.
    r = client.post(
        "/api/auth/token", content=b'{"handle": "x"}', headers={"Content-Type": "text/plain"}
    )
    assert r.status_code == 415


def test_browser_register_sets_session_and_guidelines(
    client: TestClient, settings: Settings
) -> None:
    token = csrf_of(client, "/register")
    r = client.post(
        "/register",
        data={
            "handle": "robin",
            "password": PASSWORD,
            "csrf_token": token,
            "accept_guidelines": "on",
            "age_confirmed": "on",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "robin" in client.get("/").text

    from sqlmodel import select

    from community import db
    from community.models import User

    with db.session_scope(db.make_engine(settings.database_url)) as s:
        user = s.exec(select(User).where(User.handle_key == "robin")).one()
        assert user.guidelines_version == settings.guidelines_version
        assert user.guidelines_accepted_at.tzinfo is not None


def test_register_form_shows_errors(client: TestClient) -> None:
    token = csrf_of(client, "/register")
    r = client.post(
        "/register",
        data={"handle": "robin", "password": PASSWORD, "csrf_token": token, "age_confirmed": "on"},
    )
    assert r.status_code == 400 and "accept the community guidelines" in r.text


def test_csrf_missing_or_wrong_is_refused(client: TestClient) -> None:
    register(client, "sam")
    r = client.post("/login", data={"handle": "sam", "password": PASSWORD})
    assert r.status_code == 403 and "expired" in r.text
    csrf_of(client, "/login")
    r = client.post("/login", data={"handle": "sam", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403


def test_login_rotates_session_and_logout(client: TestClient) -> None:
    register(client, "sam")
    before = csrf_of(client, "/login")
    login_browser(client, "sam")
    after = csrf_of(client, "/")
    assert before != after  # a fresh session (and CSRF token) after login
    r = client.post("/logout", data={"csrf_token": after}, follow_redirects=False)
    assert r.status_code == 303
    assert "Log in" in client.get("/").text


def test_login_throttled_per_handle(settings: Settings) -> None:
    with make_client(settings, login_attempts_per_15min=3) as client:
        register(client, "sam")
        for _ in range(3):
            r = client.post("/api/auth/token", json={"handle": "sam", "password": "nope nope nope"})
            assert r.status_code == 401
        r = client.post("/api/auth/token", json={"handle": "sam", "password": PASSWORD})
        assert r.status_code == 429 and "wait" in r.json()["error"]


def test_bad_bearer_token_is_anonymous(client: TestClient) -> None:
    r = client.get("/api/rooms/anything/messages", headers={"Authorization": "Bearer forged"})
    assert r.status_code == 401


def test_registration_throttled_per_ip(settings: Settings) -> None:
    with make_client(settings, registrations_per_hour=3) as client:
        for i in range(3):
            register(client, f"user{i}")
        r = _api_register(client, handle="user9")
        assert r.status_code == 429 and "Too many new accounts" in r.json()["error"]


def test_production_cookie_is_secure_and_hsts_over_tls(settings: Settings) -> None:
    from dataclasses import replace

    from community.app import create_app

    app = create_app(replace(settings, env="production"))
    with TestClient(app, base_url="https://hearth.example") as client:
        token = csrf_of(client, "/login")
        assert token
        r = client.get("/login")
        assert "max-age=31536000" in r.headers["strict-transport-security"]
        register(client, "sam")
        r = client.post(
            "/login",
            data={"handle": "sam", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert "secure" in r.headers["set-cookie"].lower()
