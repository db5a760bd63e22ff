"""The app with a real (tiny) detoxify model loaded offline: health, holds, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from community.settings import Settings
from tests.conftest import make_client, make_room, register
from tests.moderation.tiny_model import build_tiny_model


def _wait_ready(client: TestClient) -> dict[str, object]:
    deadline = time.monotonic() + 30
    while True:
        model = client.get("/healthz").json()["moderation"]["model"]
        if model["state"] == "ready" or time.monotonic() > deadline:
            return dict(model)
        time.sleep(0.05)


def _insulting_model_app(settings: Settings, tmp_path: Path, **overrides: Any) -> TestClient:
    """The app with a tiny detoxify model that reads every text as an insult."""
    checkpoint, config_dir = build_tiny_model(tmp_path, logits={"insult": 9.0})
    return make_client(
        settings,
        model_checkpoint=str(checkpoint),
        model_config_dir=str(config_dir),
        model_timeout_ms=5000,
        **overrides,
    )


def test_model_scores_hold_a_message_in_a_live_room(settings: Settings, tmp_path: Path) -> None:
    with _insulting_model_app(settings, tmp_path) as client:
        assert _wait_ready(client)["state"] == "ready"
        token = register(client, "alex")
        make_room(settings, "welcome", members=("alex",))
        with client.websocket_connect(
            "/ws/rooms/welcome", headers={"Authorization": f"Bearer {token}"}
        ) as ws:
            ws.send_text(
                json.dumps({"type": "send", "client_id": str(uuid.uuid4()), "text": "hello friend"})
            )
            while True:
                frame = json.loads(ws.receive_text())
                if frame["type"] == "ack":
                    break
        assert frame["status"] == "held"


def test_app_without_model_says_so(client: TestClient) -> None:
    model = client.get("/healthz").json()["moderation"]["model"]
    assert model["state"] == "absent"


def test_batch_cli_uses_the_same_pipeline(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env.update({"HEARTH_DATA_DIR": str(tmp_path), "HEARTH_ENV_FILE": "/nonexistent"})
    lines = "\n".join(
        [
            json.dumps({"text": "I took all my pills, this is goodbye"}),
            "killed it at my interview today",
            "{not json",
        ]
    )
    out = subprocess.run(
        [sys.executable, "-m", "community.cli", "moderation", "assess"],
        input=lines,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[0]["severity"] == "imminent" and rows[0]["action"] == "allow_and_alert"
    assert rows[1]["crisis"] is False and rows[1]["action"] == "allow"
    assert len(rows) == 3
    # By default the semantic reader (the installed encoder + shipped adapter) scores too.
    assert rows[0]["model"] == rows[1]["model"] == "used"


def test_detoxify_and_the_semantic_reader_score_together(
    settings: Settings, tmp_path: Path
) -> None:
    with _insulting_model_app(settings, tmp_path, semantic_model="auto") as client:
        model = _wait_ready(client)
        assert model["state"] == "ready" and str(model["model"]).endswith("+semantic-minilm")
        pipeline = client.app.state.pipeline  # type: ignore[attr-defined]
        scores = pipeline.scorer.submit("hello friend").result(timeout=30)
        assert "insult" in scores and "semantic:crisis" in scores  # one dict, both models


def test_a_bad_semantic_model_setting_leaves_the_rules_deciding(settings: Settings) -> None:
    with make_client(settings, semantic_model="/nonexistent/encoder") as client:
        assert client.get("/healthz").json()["moderation"]["model"]["state"] == "absent"
