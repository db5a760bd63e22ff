"""What the load generator's processes report, and how the parent merges it.

Lost and duplicated deliveries are counted against the acknowledged messages only:
the server promises nothing about a message it never acknowledged.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ClientReport:
    index: int
    room: str
    stable: bool  # connected for the whole window (benchmark mode)
    received: array[int]  # every message id received, duplicates included
    reconnects: int


@dataclass
class WorkerReport:
    errors: Counter[str]
    latencies_ms: array[float] = field(default_factory=lambda: array("d"))
    ack_latencies_ms: array[float] = field(default_factory=lambda: array("d"))
    acked: dict[str, array[int]] = field(default_factory=dict)  # room -> message ids
    clients: list[ClientReport] = field(default_factory=list)
    sent: int = 0
    resent: int = 0
    unacked: int = 0
    in_window: int = 0  # deliveries received before the last send was due
    window_stop: float = 0.0


@dataclass
class Summary:
    clients: int
    connected: int
    counted: int  # clients whose deliveries are checked
    duration: float
    sent: int
    acked: int
    unacked: int
    resent: int
    expected: int
    delivered: int
    lost: int
    duplicated: int
    deliveries_per_s: float
    latency_ms: dict[str, float]
    ack_ms: dict[str, float]
    errors: dict[str, int]
    reconnects: int

    def lines(self) -> list[str]:
        lat = " ".join(f"{k}={v:.1f}" for k, v in self.latency_ms.items())
        ack = " ".join(f"{k}={v:.1f}" for k, v in self.ack_ms.items())
        return [
            f"clients {self.clients} (connected {self.connected}, checked {self.counted}), "
            f"reconnects {self.reconnects}",
            f"sent {self.sent} ({self.sent / self.duration:.0f}/s), acked {self.acked}, "
            f"unacked {self.unacked}, resent {self.resent}",
            f"deliveries/s {self.deliveries_per_s:.0f} (in the send window)",
            f"expected {self.expected}, delivered {self.delivered}, lost {self.lost}, "
            f"duplicated {self.duplicated}",
            f"latency ms {lat}",
            f"ack ms {ack}",
            f"errors {self.errors or 'none'}",
        ]


def percentiles(values: array[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    last = len(ordered) - 1
    marks = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
    out = {k: ordered[min(last, int(q * len(ordered)))] for k, q in marks.items()}
    out["max"] = ordered[last]
    return out


def _check_deliveries(reports: list[WorkerReport], resume: bool) -> tuple[int, int, int, int, int]:
    """(checked clients, expected, delivered, lost, duplicated)."""
    acked: dict[str, set[int]] = {}
    for r in reports:
        for room, ids in r.acked.items():
            acked.setdefault(room, set()).update(ids)
    checked = expected = delivered = lost = duplicated = 0
    for r in reports:
        for c in r.clients:
            got = set(c.received)
            duplicated += len(c.received) - len(got)
            if not (c.stable or resume):
                continue
            want = acked.get(c.room, set())
            checked += 1
            expected += len(want)
            delivered += len(want & got)
            lost += len(want - got)
    return checked, expected, delivered, lost, duplicated


def summarise(
    reports: list[WorkerReport], duration: float, connected: int, total: int, resume: bool
) -> Summary:
    checked, expected, delivered, lost, dups = _check_deliveries(reports, resume)
    latencies, ack_latencies = array("d"), array("d")
    errors: Counter[str] = Counter()
    for r in reports:
        latencies.extend(r.latencies_ms)
        ack_latencies.extend(r.ack_latencies_ms)
        errors.update(r.errors)
    return Summary(
        clients=total,
        connected=connected,
        counted=checked,
        duration=duration,
        sent=sum(r.sent for r in reports),
        acked=sum(len(ids) for r in reports for ids in r.acked.values()),
        unacked=sum(r.unacked for r in reports),
        resent=sum(r.resent for r in reports),
        expected=expected,
        delivered=delivered,
        lost=lost,
        duplicated=dups,
        deliveries_per_s=sum(r.in_window for r in reports) / duration,
        latency_ms=percentiles(latencies),
        ack_ms=percentiles(ack_latencies),
        errors=dict(errors),
        reconnects=sum(c.reconnects for r in reports for c in r.clients),
    )
