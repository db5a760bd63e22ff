"""Batch assessment: one JSON line per input line, bad lines reported in-stream."""

from __future__ import annotations

import asyncio
import json

from moderation import Pipeline
from moderation.batch import assess_lines


def _run(lines: list[str]) -> list[dict[str, object]]:
    async def collect() -> list[str]:
        return [line async for line in assess_lines(lines, Pipeline())]

    return [json.loads(line) for line in asyncio.run(collect())]


def test_json_and_plain_lines() -> None:
    out = _run(
        [
            '{"id": 7, "text": "I took all my pills"}\n',
            "you are a worthless piece of shit\n",
            "{sigh} I want to die\n",
            "had a good day\n",
        ]
    )
    assert [o.get("id") for o in out] == [7, None, None, None]
    assert [o["action"] for o in out] == ["allow_and_alert", "hold", "allow_and_alert", "allow"]
    assert out[0]["severity"] == "imminent" and out[0]["crisis"] is True
    assert out[1]["categories"] == ["harassment"]
    assert set(out[3]) >= {"crisis", "severity", "harmful", "categories", "action", "model"}


def test_bad_lines_yield_errors_and_the_stream_goes_on() -> None:
    out = _run(['{"text": 3}', "{not json}", "{}", "   ", '{"txt": "x"}', "kys"])
    assert [o.get("line") for o in out[:5]] == [1, 2, 3, 4, 5]
    assert all("error" in o for o in out[:5])
    assert "invalid JSON" in str(out[1]["error"]) and "empty" in str(out[3]["error"])
    assert out[5]["action"] == "hold"
