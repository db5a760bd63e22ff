"""Pub/sub, presence and rate limiting across processes: memory:// or redis://.

See docs/broker.md. Channel names come from `community.broker.channels`.
"""

from __future__ import annotations

from ._base import Broker
from .errors import OVERFLOW_CLOSE_CODE, BrokerUnavailable, SubscriberOverflow
from .subscriber import RESYNC, Event, Resync, Subscriber

__all__ = [
    "OVERFLOW_CLOSE_CODE",
    "RESYNC",
    "Broker",
    "BrokerUnavailable",
    "Event",
    "Resync",
    "Subscriber",
    "SubscriberOverflow",
]
