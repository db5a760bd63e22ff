"""A running app whose meeting clock is a FrozenClock, and helpers to act as several people.

One TestClient holds one browser session (for CSRF); each person is picked per request with
their bearer token, so everyone shares one app, one database and one broker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import httpx2 as httpx
import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from community.meetings.clock import FrozenClock
from community.meetings.scheduler import Event, apply_phases
from community.meetings.tables import MeetingGroup, MeetingOccurrence
from community.models import Room, User
from community.security import hash_password
from community.settings import Settings
from tests.conftest import PASSWORD, csrf_of, make_client

# Tuesday 10 March 2026, 19:00 in London (still GMT, so 19:00 UTC); weekly, 60 minutes.
MEETING_FORM = {
    "title": "Evening recovery circle",
    "description": "Peer support after work.",
    "guidelines": "Speak from your own experience. What is said here stays here.",
    "tz": "Europe/London",
    "start_date": "2026-03-10",
    "start_time": "19:00",
    "duration": "60",
    "recurrence": "weekly",
    "lobby_minutes": "15",
    "capacity": "",
    "retention": "keep",
}
START = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run


@dataclass
class Hub:
    client: TestClient
    settings: Settings
    clock: FrozenClock
    csrf: str
    tokens: dict[str, str] = field(default_factory=dict)

    def person(self, handle: str, role: str = "member") -> str:
        """A user row plus a bearer token (registration itself is tested in tests/web)."""
        state = self.client.app.state  # type: ignore[attr-defined]
        with self.session() as s:
            user = User(
                handle=handle,
                handle_key=handle.lower(),
                password_hash=_password_hash(),
                role=role,
                guidelines_version=self.settings.guidelines_version,
            )
            s.add(user)
            s.commit()
            assert user.id is not None
            self.tokens[handle] = state.tokens.issue(user.id, user.session_epoch)
        return handle

    def _auth(self, handle: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[handle]}"} if handle else {}

    def get(self, path: str, handle: str | None = None, **kw: Any) -> httpx.Response:
        return self.client.get(path, headers=self._auth(handle), **kw)

    def post(self, path: str, who: str, /, **data: Any) -> httpx.Response:
        form = {"csrf_token": self.csrf, **data}
        return self.client.post(path, data=form, headers=self._auth(who), follow_redirects=False)

    def create(self, handle: str = "fac", weekdays: tuple[str, ...] = ("1",), **fields: str) -> int:
        data: dict[str, Any] = {**MEETING_FORM, **fields, "weekdays": list(weekdays)}
        r = self.post("/meetings/new", handle, **data)
        assert r.status_code == 303, r.text
        match = re.fullmatch(r"/meetings/(\d+)", r.headers["location"])
        assert match
        return int(match.group(1))

    def join(self, meeting: int, handle: str) -> httpx.Response:
        return self.post(f"/meetings/{meeting}/join", handle, accept_guidelines="yes")

    def control(
        self, meeting: int, action: str, who: str = "fac", /, **data: str
    ) -> httpx.Response:
        return self.post(f"/meetings/{meeting}/control/{action}", who, **data)

    def at(self, moment: datetime) -> list[Event]:
        """Move the clock and run one scheduler step through the app (publishing events)."""
        self.clock.set(moment)
        state = self.client.app.state  # type: ignore[attr-defined]
        events: list[Event] = self.client.portal.call(apply_phases, state, moment)  # type: ignore[union-attr]
        return events

    def session(self) -> Session:
        return Session(self.client.app.state.engine, expire_on_commit=False)  # type: ignore[attr-defined]

    def room(self, meeting: int) -> Room:
        with self.session() as s:
            group = s.get(MeetingGroup, meeting)
            assert group is not None
            room = s.get(Room, group.room_id)
            assert room is not None
            return room

    def occurrence(self, meeting: int) -> MeetingOccurrence:
        with self.session() as s:
            row = s.exec(
                select(MeetingOccurrence).where(MeetingOccurrence.group_id == meeting)
            ).first()
            assert row is not None
            return row

    def user_id(self, handle: str) -> int:
        with self.session() as s:
            user = s.exec(select(User).where(User.handle_key == handle)).one()
            assert user.id is not None
            return user.id


@pytest.fixture
def hub(settings: Settings) -> Iterator[Hub]:
    clock = FrozenClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    client = make_client(settings, meetings_tick_seconds=0)  # steps are run by the tests
    client.app.state.meeting_clock = clock  # type: ignore[attr-defined]
    with client:
        h = Hub(client, settings, clock, csrf_of(client, "/login"))
        h.person("fac", "facilitator")
        h.person("ann")
        h.person("bob")
        yield h
