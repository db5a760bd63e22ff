"""A room socket's stored-message side: replay, and live delivery in sequence order.

Every message of a room has a sequence number, 1, 2, 3..., assigned with no hole in
commit order (`insert_message`). Publishing happens after the commit, from whichever
process stored the message, so two processes can publish 10 and 11 in the order 11,
10. Forwarding 11 first would move the client's resume point (`?after=<last id>`)
past 10, and a link that drops before 10 arrives would lose it for good.

So a socket forwards live messages only in sequence order. It knows the next number
it expects; a live message numbered below it was sent already (or was not visible
when its number went by) and is dropped; one numbered above it means the numbers in
between are committed (they committed before it), so they are read from the
database and sent first. Numbers that come back empty (held, removed or erased
messages) are simply passed: nothing waits for a message that will not be published.
Released messages are out of sequence and go by id (docs/protocol.md).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.websockets import WebSocket

from community.models import Room
from community.ws_history import REPLAY_PAGE, Row, gap_page, stored_page
from community.ws_outbox import Outbox


class SequencedOutbox(Outbox):
    """An Outbox that also knows the room's next expected sequence number."""

    def __init__(self, ws: WebSocket, engine: Engine, room: Room) -> None:
        super().__init__(ws)
        self.engine = engine
        self.room = room
        # 0 until the first replay has set it; live delivery starts after that replay.
        self.next_seq = 0

    async def replay(self, after: int) -> None:
        """Send every stored message after `after`, in order, in pages."""
        while True:
            page = await stored_page(self.engine, self.room, after)
            await self._write_rows(page.rows)
            self.next_seq = max(self.next_seq, page.floor + 1)
            if len(page.rows) < REPLAY_PAGE:
                return
            after = page.rows[-1].msg_id

    async def fill_to(self, stop: int) -> None:
        """Send the visible messages numbered from `next_seq` to `stop - 1`.

        Precondition: message `stop` is committed, so every number below it is too
        and this read misses none of them.
        """
        first = self.next_seq
        while first < stop:
            rows = await gap_page(self.engine, self.room, first, stop)
            await self._write_rows(rows)
            if len(rows) < REPLAY_PAGE:
                break
            first = (rows[-1].seq or first) + 1
        self.next_seq = max(self.next_seq, stop)

    async def _write_rows(self, rows: list[Row]) -> None:
        await self.write([row.frame for row in rows if self.mark_sent(row.msg_id)])
        for row in rows:
            if row.seq is not None and row.seq >= self.next_seq:
                self.next_seq = row.seq + 1
