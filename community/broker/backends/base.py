"""The interface every broker backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator


class BrokerBackend(ABC):
    """A pub/sub transport. The `Broker` front object owns local fan-out and recovery.

    A backend holds at most one subscription per channel. `listen` yields
    `(channel, message)` pairs and raises on a transport failure; the front object
    then calls `reconnect` with the channels that still have local subscribers.
    Backends raise `BrokerUnavailable` from `publish` when the transport is down.
    """

    name: str

    @abstractmethod
    async def connect(self) -> None: ...

    @abstractmethod
    async def disconnect(self) -> None: ...

    @abstractmethod
    async def subscribe(self, channel: str) -> None: ...

    @abstractmethod
    async def unsubscribe(self, channel: str) -> None: ...

    @abstractmethod
    async def publish(self, channel: str, message: str) -> None: ...

    @abstractmethod
    def listen(self) -> AsyncIterator[tuple[str, str]]:
        """Yield messages until `disconnect`; raise when the transport fails."""

    @abstractmethod
    async def reconnect(self, channels: set[str]) -> None:
        """Re-establish the subscription connection and subscribe to `channels`."""

    @abstractmethod
    async def abort(self) -> None:
        """Drop the subscription connection so that `listen` fails promptly."""
