"""Property-based fuzzing of the JSON API and HTML forms: never a server error.

Any body, any field types, any query string: the answer is a clear 4xx (or a
success), never a 500 and never a stored half-record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from community.settings import Settings
from tests.conftest import csrf_of, make_client, make_room, register

values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
fields = st.sampled_from(
    ["handle", "password", "accept_guidelines", "age_confirmed", "reason", "note", "text"]
)
bodies = st.one_of(
    st.dictionaries(fields, values, max_size=5).map(json.dumps),
    values.map(json.dumps),
    st.text(max_size=80),
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    import shutil
    from dataclasses import replace

    from community import db
    from community.settings import load_settings

    tmp = tmp_path_factory.mktemp("httpfuzz")
    url = f"sqlite:///{tmp}/fuzz.db"
    db.upgrade(url)
    base: Settings = replace(
        load_settings(),
        database_url=url,
        broker_url="memory://",
        data_dir=tmp,
        model_name="",
        model_checkpoint="",
        rate_limit_enabled=False,
    )
    with make_client(base) as client:
        token = register(client, "fuzzer")
        make_room(base, "welcome", members=("fuzzer",))
        yield client, token
    shutil.rmtree(tmp, ignore_errors=True)


@FUZZ
@given(
    path=st.sampled_from(["/api/auth/register", "/api/auth/token", "/api/messages/1/report"]),
    body=bodies,
)
def test_json_api_never_500(world: tuple[TestClient, str], path: str, body: str) -> None:
    client, token = world
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    r = client.post(path, content=body.encode(), headers=headers)
    assert r.status_code < 500, (path, body, r.text)
    if r.status_code >= 400:
        assert "error" in r.json()


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["after", "limit", "x"]), st.text(max_size=12), max_size=3
    )
)
def test_history_query_never_500(world: tuple[TestClient, str], query: dict[str, str]) -> None:
    client, token = world
    r = client.get(
        "/api/rooms/welcome/messages", params=query, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code in (200, 400)


@FUZZ
@given(
    path=st.sampled_from(["/register", "/login", "/rooms/welcome/messages", "/account/profile"]),
    form=st.dictionaries(
        fields | st.sampled_from(["country", "timezone", "client_id", "next"]),
        st.text(max_size=60),
        max_size=6,
    ),
)
def test_forms_never_500(world: tuple[TestClient, str], path: str, form: dict[str, str]) -> None:
    client, token = world
    form = {**form, "csrf_token": csrf_of(client, "/login")}
    r = client.post(
        path, data=form, headers={"Authorization": f"Bearer {token}"}, follow_redirects=False
    )
    assert r.status_code < 500, (path, form, r.status_code)
