"""Batch assessment: one JSON line out per line in (the `hearth moderation assess` core)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable

from moderation.pipeline import Pipeline


def _parse(line: str) -> tuple[str, object]:
    """(text, id) from a JSON object line or a plain-text line; ValueError if bad."""
    stripped = line.strip()
    if not stripped:
        raise ValueError("empty line")
    # Only a whole-line object is JSON: "{sigh} I want to die" is plain text.
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return stripped, None
    try:
        obj = json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg}") from None
    if not isinstance(obj, dict):
        raise ValueError("JSON line must be an object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError('JSON object needs a string "text" field')
    return text, obj.get("id")


async def assess_lines(lines: Iterable[str], pipeline: Pipeline) -> AsyncIterator[str]:
    """Yield one JSON line per input line; a bad line yields {"error": ...} and the
    stream goes on. An input "id" is echoed back so results can be joined."""
    for number, line in enumerate(lines, start=1):
        try:
            text, ident = _parse(line)
        except ValueError as exc:
            yield json.dumps({"line": number, "error": str(exc)})
            continue
        result = (await pipeline.assess(text)).to_json()
        if ident is not None:
            result = {"id": ident, **result}
        yield json.dumps(result, ensure_ascii=False)
