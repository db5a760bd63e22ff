"""Every state-changing HTML route refuses a form without a valid CSRF token.

Routes are read from the app itself, so a new form route is covered the day it lands.
"""

from __future__ import annotations

import re

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from community.app import routes
from community.settings import Settings
from tests.conftest import login_browser, make_room, register, set_role

PARAMS = {"slug": "welcome", "action": "claim", "group_id": "1", "meeting_id": "1"}


def _form_routes() -> list[str]:
    paths = []
    for route in routes():
        is_post = isinstance(route, Route) and route.methods and "POST" in route.methods
        if is_post and not route.path.startswith("/api/"):
            paths.append(route.path)
    return paths


def _fill(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        return PARAMS.get(name, "1")

    return re.sub(r"\{([^}]+)\}", value, path)


@pytest.mark.parametrize("path", _form_routes())
def test_form_without_csrf_is_refused(client: TestClient, settings: Settings, path: str) -> None:
    register(client, "root_admin")
    set_role(settings, "root_admin", "admin")
    make_room(settings, "welcome", members=("root_admin",))
    login_browser(client, "root_admin")
    for data in ({}, {"csrf_token": "forged"}):
        r = client.post(_fill(path), data=data, follow_redirects=False)
        assert r.status_code == 403, (path, r.status_code)
        assert "expired" in r.text


def test_login_and_register_forms_need_csrf(client: TestClient) -> None:
    assert "/login" in _form_routes() and "/register" in _form_routes()


def test_bearer_clients_do_not_need_csrf(client: TestClient, settings: Settings) -> None:
    token = register(client, "api_user")
    make_room(settings, "welcome")
    r = client.post(
        "/rooms/welcome/join", headers={"Authorization": f"Bearer {token}"}, follow_redirects=False
    )
    assert r.status_code == 303  # joined: no cookie, so no cross-site risk, no CSRF token


def test_cookie_json_api_needs_json_content_type(client: TestClient) -> None:
    r = client.post(
        "/api/messages/1/report",
        content=b"reason=spam",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 415
