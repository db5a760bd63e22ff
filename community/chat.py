"""The send path shared by the websocket and the no-JavaScript form.

check (text, client id) -> assess (moderation) -> store + commit -> ack -> publish.
`store` ends at the commit and `announce` publishes, so the room socket acknowledges
in between; the no-JavaScript form just calls `send` (both). If the broker is down
the event is kept and retried, and clients catch up from the database when they
resync.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from community import access
from community.actions.messages import (
    Stored,
    check_text,
    find_existing,
    insert_message,
    load_poster,
    status_for,
    store_flag,
)
from community.broker import Broker, BrokerUnavailable
from community.broker.channels import moderators_channel, room_channel
from community.db import run_db
from community.events import dumps, message_event
from community.models import Message, MessageStatus, Room, User, utcnow
from moderation import Assessment, Pipeline, RoomPolicy

log = logging.getLogger("hearth.chat")
RETRY_LIMIT = 10_000


@dataclass(frozen=True)
class SendOutcome:
    message_id: int
    status: str  # "delivered" | "held"
    created: bool
    verdict: Assessment | None
    flag_id: int | None = None
    moderators_alerted: bool = False
    # What `announce` publishes: set only for a message this send created.
    pending: Announcement | None = None


@dataclass(frozen=True)
class Announcement:
    stored: Stored
    room: Room
    user: User
    verdict: Assessment


@dataclass
class ChatService:
    engine: Engine
    broker: Broker
    pipeline: Pipeline
    max_chars: int
    moderators_online: Any = None  # async () -> int; set by the app (presence)
    _retry: deque[tuple[str, str]] = field(default_factory=deque)
    _retry_task: asyncio.Task[None] | None = None
    # Each room's crisis policy as last read, so that a socket holding an older copy
    # of the room does not pay for a second assessment on every send after a change.
    _hold_crisis: dict[int, bool] = field(default_factory=dict)

    async def send(self, user: User, room: Room, client_id: str, text: str) -> SendOutcome:
        """Store, then announce: for callers with no acknowledgement to send between."""
        return await self.announce(await self.store(user, room, client_id, text))

    async def store(self, user: User, room: Room, client_id: str, text: str) -> SendOutcome:
        """Check, assess, store and commit; nothing is published yet (`announce`).

        Raises MessageError (bad text), Refused (access).

        The rules run before the database is read (on the room's crisis policy as this
        socket knows it); access, the retry lookup and the insert are then one
        transaction on one thread hop. If the room's policy changed meanwhile, the
        transaction stores nothing and the message is assessed again.
        """
        text = check_text(text, self.max_chars)
        assert room.id is not None
        hold_crisis = self._hold_crisis.get(room.id, room.hold_crisis)
        for _ in range(2):
            policy = RoomPolicy(hold_crisis=hold_crisis)
            verdict = await self.pipeline.assess(text, policy)
            result = await self._store(user, room, client_id, text, verdict, hold_crisis)
            if isinstance(result, bool):
                hold_crisis = self._hold_crisis[room.id] = result
                continue
            stored, fresh_user, fresh_room = result
            if not stored.created:
                # A retry: the first ack, and any crisis card, may never have arrived. The
                # rules alone (cheap, no model) say whether to show the card again.
                policy = RoomPolicy(hold_crisis=fresh_room.hold_crisis)
                rules = self.pipeline.assess_rules(stored.message.text, policy)
                return _outcome(stored.message, False, rules)
            flag_id = stored.flag.id if stored.flag else None
            pending = Announcement(stored, fresh_room, fresh_user, verdict)
            return replace(_outcome(stored.message, True, verdict, flag_id), pending=pending)
        raise RuntimeError("room crisis policy kept changing during one send")

    async def announce(self, outcome: SendOutcome) -> SendOutcome:
        """Publish what `store` committed; the outcome then says if a moderator was told.

        Call it even if acknowledging the sender failed: the message is stored, and
        the room must see it. A retry (nothing created) publishes nothing.
        """
        p = outcome.pending
        if p is None:
            return outcome
        alerted = await self._publish_after_commit(p.stored, p.room, p.user, p.verdict)
        return replace(outcome, moderators_alerted=alerted, pending=None)

    async def _store(
        self, user: User, room: Room, client_id: str, text: str, verdict: Assessment, hold: bool
    ) -> tuple[Stored, User, Room] | bool:
        """Store in one transaction; the room's fresh `hold_crisis` if it is not `hold`."""
        assert user.id is not None and room.id is not None
        uid, rid = user.id, room.id

        def work() -> tuple[Stored, User, Room] | bool:
            with self.engine.begin() as conn:
                return _check_and_store(conn, uid, rid, client_id, text, verdict, hold)

        try:
            return await asyncio.to_thread(work)
        except IntegrityError:
            # Two copies of one retry raced; the other one won: answer with its message.
            found = await run_db(self.engine, lambda s: find_existing(s, rid, uid, client_id))
            if found is None:
                raise
            return Stored(found, False, None), user, room

    async def _publish_after_commit(
        self, stored: Stored, room: Room, user: User, verdict: Assessment
    ) -> bool:
        msg = stored.message
        if msg.status == MessageStatus.VISIBLE:
            await self.publish(
                room_channel(room.slug), dumps(message_event(msg, room.slug, user.handle))
            )
        if stored.flag is None:
            return False
        alert = {
            "type": "flag",
            "flag_id": stored.flag.id,
            "severity": verdict.severity.value,
            "reason": stored.flag.reason,
            "room": room.slug,
            "message_id": msg.id,
            "cues": list(verdict.crisis_cues),
            "categories": list(verdict.harmful_categories),
        }
        await self.publish(moderators_channel(), dumps(alert))
        return await self._moderators_were_told()

    async def _moderators_were_told(self) -> bool:
        """True only if a moderator is online now: the crisis card must never claim
        a moderator was told when none was (so any doubt answers False)."""
        if self.moderators_online is None:
            return False
        try:
            return bool(await self.moderators_online())
        except Exception:
            log.warning("could not count online moderators; the card will not claim one")
            return False

    async def publish(self, channel: str, payload: str) -> None:
        """Publish, or keep the event for a retry if the broker is down right now."""
        try:
            await self.broker.publish(channel, payload)
        except BrokerUnavailable:
            log.warning("broker unavailable; queued an event for %s", channel)
            self._queue_retry(channel, payload)

    def _queue_retry(self, channel: str, payload: str) -> None:
        if len(self._retry) >= RETRY_LIMIT:
            log.error("publish retry queue full; clients will catch up on resync")
            return
        self._retry.append((channel, payload))
        if self._retry_task is None or self._retry_task.done():
            self._retry_task = asyncio.create_task(self._drain_retries())

    async def _drain_retries(self) -> None:
        delay = 0.2
        while self._retry:
            channel, payload = self._retry[0]
            try:
                await self.broker.publish(channel, payload)
                self._retry.popleft()
                delay = 0.2
            except BrokerUnavailable:
                # Keep it at the front: events go out in the order they were stored.
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def close(self) -> None:
        if self._retry_task is not None:
            self._retry_task.cancel()


class Refused(Exception):
    """The sender may not post here (muted, not a member, room closed, banned...)."""

    def __init__(self, decision: access.Decision) -> None:
        super().__init__(decision.message)
        self.decision = decision


def _check_and_store(
    conn: Connection,
    user_id: int,
    room_id: int,
    client_id: str,
    text: str,
    verdict: Assessment,
    hold_crisis: bool,
) -> tuple[Stored, User, Room] | bool:
    """Access check on fresh rows, retry lookup, insert: the caller's one transaction.

    Read fresh on every send so a mute, ban or closed room applies at once. Returns
    the room's `hold_crisis` instead, storing nothing, if it differs from the one the
    verdict was made under.
    """
    poster = load_poster(conn, user_id=user_id, room_id=room_id, client_id=client_id)
    user, room = poster.user, poster.room
    if user is None or room is None:
        raise Refused(access.Decision(False, "not_found", "This room no longer exists."))
    decision = access.access_post(user, room, poster.membership, utcnow())
    if not decision:
        raise Refused(decision)
    if poster.existing is not None:
        return Stored(poster.existing, False, None), user, room
    if room.hold_crisis != hold_crisis:
        return room.hold_crisis
    msg = insert_message(
        conn, room_id=room_id, author_id=user_id, client_id=client_id, text=text,
        status=status_for(verdict),
    )  # fmt: skip
    return Stored(msg, True, store_flag(conn, msg, user_id, verdict)), user, room


def _outcome(
    msg: Message,
    created: bool,
    verdict: Assessment | None = None,
    flag_id: int | None = None,
    alerted: bool = False,
) -> SendOutcome:
    assert msg.id is not None
    status = "held" if msg.status == MessageStatus.HELD else "delivered"
    return SendOutcome(msg.id, status, created, verdict, flag_id, alerted)
