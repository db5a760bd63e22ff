"""Room names on a real local Redis Cluster (three masters): one slot per room, sharded pub/sub.

This proves the key layout of docs/broker.md ("Beyond one Redis"): every key of a room
hashes to its channel's slot, and a room channel works with SSUBSCRIBE/SPUBLISH. The
broker's backend itself still uses plain pub/sub on one Redis.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.cluster import ClusterNode, RedisCluster

from community.broker.channels import room_channel, room_key
from tests.redis_fixtures import redis_server_binary

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisCluster]:
    cli = shutil.which("redis-cli")
    if cli is None:
        pytest.skip("redis-cli not installed (needed to form a local cluster)")
    tmp = tmp_path_factory.mktemp("cluster")
    ports = _cluster_ports(3)
    procs = [_node(tmp, port) for port in ports]
    try:
        _wait_ping(cli, ports)
        nodes = [f"127.0.0.1:{p}" for p in ports]
        subprocess.run(
            [cli, "--cluster", "create", *nodes, "--cluster-replicas", "0", "--cluster-yes"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        client = RedisCluster(
            startup_nodes=[ClusterNode("127.0.0.1", ports[0])], decode_responses=True
        )
        _wait_ok(client)
        yield client
        client.close()
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


def _cluster_ports(n: int) -> list[int]:
    """Free ports whose cluster-bus port (port + 10000) is free and valid too."""
    ports: list[int] = []
    while len(ports) < n:
        port = random.randint(20000, 50000)
        if port not in ports and _free(port) and _free(port + 10000):
            ports.append(port)
    return ports


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _node(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    d = tmp / str(port)
    d.mkdir()
    return subprocess.Popen(
        [
            redis_server_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            str(d / "nodes.conf"),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(d),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_ping(cli: str, ports: list[int]) -> None:
    deadline = time.monotonic() + 20
    for port in ports:
        while subprocess.run([cli, "-p", str(port), "ping"], capture_output=True).returncode:
            assert time.monotonic() < deadline, "cluster node did not start"
            time.sleep(0.1)


def _wait_ok(client: RedisCluster) -> None:
    deadline = time.monotonic() + 20
    while client.cluster_info().get("cluster_state") != "ok":
        assert time.monotonic() < deadline, "cluster did not become ok"
        time.sleep(0.2)


def test_every_key_of_a_room_shares_its_channel_slot(cluster: RedisCluster) -> None:
    for slug in ("welcome", "recovery-circle", "meeting-1a2b3c"):
        slot = cluster.keyslot(f"hearth:{room_channel(slug)}")
        for suffix in ("presence", "members", "rate"):
            assert cluster.keyslot(f"hearth:{room_key(slug, suffix)}") == slot
    slots = {cluster.keyslot(f"hearth:{room_channel(f'room-{i}')}") for i in range(50)}
    assert len(slots) > 40  # rooms spread over the cluster's slots


def test_sharded_pubsub_on_a_room_channel(cluster: RedisCluster) -> None:
    channel = f"hearth:{room_channel('welcome')}"
    pubsub = cluster.pubsub()
    pubsub.ssubscribe(channel)
    deadline = time.monotonic() + 10
    got = None
    sent = False
    while got is None and time.monotonic() < deadline:
        message = pubsub.get_sharded_message(timeout=0.2)
        if message and message["type"] == "smessage":
            got = message["data"]
        elif not sent:
            cluster.spublish(channel, '{"type":"message","id":1}')
            sent = True
    pubsub.close()
    assert got == '{"type":"message","id":1}'
