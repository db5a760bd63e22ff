"""Errors raised by the broker, presence and rate limiter."""

from __future__ import annotations


class BrokerUnavailable(Exception):
    """The backend (Redis) could not be reached in time.

    Raised by `Broker.publish` and `Presence.members`. The message has already been
    committed by the caller, so nothing is lost: clients catch up when told to resync.
    """


class SubscriberOverflow(Exception):
    """A subscriber fell behind and its bounded queue filled up.

    The websocket layer closes the connection with `OVERFLOW_CLOSE_CODE`; the client
    reconnects with `?after=<last id>` and is replayed from the database.
    """


# Application close code (4000-4999 are free for applications) sent to a websocket
# client whose subscriber overflowed. Documented in docs/broker.md and docs/protocol.md.
OVERFLOW_CLOSE_CODE = 4008
