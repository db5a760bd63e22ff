"""Sample running servers with py-spy and say where their time goes.

py-spy (`pip install py-spy`) reads the process from outside, so the server runs at
full speed and unmodified. Samples are grouped by the library a frame's own time is
spent in (self time), and the heaviest functions are listed inclusively too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

# First match wins: (bucket, substring of a frame's file path).
BUCKETS = [
    ("json", "json/"),
    ("websockets protocol", "websockets/"),
    ("uvicorn", "uvicorn/"),
    ("starlette", "starlette/"),
    ("sqlalchemy/sqlmodel", "sqlalchemy/"),
    ("sqlalchemy/sqlmodel", "sqlmodel/"),
    ("sqlite3", "sqlite3/"),
    ("redis client", "redis/"),
    ("anyio", "anyio/"),
    ("asyncio/selectors/threads", "asyncio/"),
    ("asyncio/selectors/threads", "selectors.py"),
    ("asyncio/threads", "threading.py"),
    ("asyncio/threads", "concurrent/"),
    ("zlib (deflate)", "permessage_deflate"),
    ("hearth broker", "community/broker/"),
    ("hearth ws", "community/ws.py"),
    ("hearth send path", "community/chat.py"),
    ("hearth send path", "community/actions/"),
    ("moderation rules", "moderation/"),
    ("hearth other", "community/"),
]


def _file_of(frame: str) -> str:
    return frame[frame.rfind("(") + 1 : -1] if frame.endswith(")") else frame


def bucket(frame: str) -> str:
    path = _file_of(frame)
    for name, needle in BUCKETS:
        if needle in path:
            return name
    return "other"


class Profiler:
    """`py-spy record` on each pid for `seconds`, raw (collapsed stack) output."""

    def __init__(self, pids: dict[str, int], out_dir: Path, seconds: float) -> None:
        self.files = {name: out_dir / f"profile-{name}.txt" for name in pids}
        self.pids, self.seconds = pids, seconds
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        exe = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
        for name, pid in self.pids.items():
            cmd = [exe, "record", "-p", str(pid), "-d", str(int(self.seconds)), "-r", "100",
                   "-f", "raw", "--nolineno", "--gil", "-o", str(self.files[name])]  # fmt: skip
            self.procs.append(
                subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )

    def wait(self) -> None:
        for p in self.procs:
            p.wait(self.seconds + 30)

    def summaries(self, top: int = 12) -> list[str]:
        lines = []
        for name, path in self.files.items():
            if path.is_file():
                lines.append(f"--- profile of {name} ({path}) ---")
                lines.extend(summarise(path.read_text(), top))
        return lines


def _parse(raw: str) -> list[tuple[list[str], int]]:
    stacks = []
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def summarise(raw: str, top: int = 12) -> list[str]:
    """Self time per bucket, then the functions with the most inclusive time."""
    stacks = _parse(raw)
    total = sum(n for _, n in stacks) or 1
    by_bucket: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for frames, n in stacks:
        by_bucket[bucket(frames[-1])] += n
        for frame in set(frames):
            if "community/" in frame or "moderation/" in frame or "broker" in frame:
                inclusive[frame] += n
    out = [f"{total} samples (holding the GIL: Python CPU); self time by library:"]
    out += [f"  {b:28s} {100 * n / total:5.1f}%" for b, n in by_bucket.most_common()]
    out.append("hearth functions, inclusive:")
    out += [f"  {100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(top)]
    return out
