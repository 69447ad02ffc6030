"""py-spy on the server during a phase, and the shares of the frames that matter.

``Profiler(pid, seconds, path)`` runs ``py-spy record --format raw`` (collapsed stacks) on the
server; ``shares(path)`` reads them back: each sample is charged to the innermost frame that
belongs to a group below (so the shares add up to 100% with "other"), and the leaf frames
with the most samples.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

GROUPS = {  # name: substrings of a frame ("function (file:line)"), innermost match wins
    "psycopg": ("psycopg/", "psycopg_binary", "psycopg_pool"),
    "SQLAlchemy": ("sqlalchemy/", "greenlet"),
    "logging": ("logging/", "log_formats.py", "logging_setup.py"),
    "msgspec / json": ("msgspec", "json/"),
    "signature (hmac)": ("signature.py", "hmac.py", "standardwebhooks"),
    "our adapters": ("wa_agents/adapters/",),
    "group commit": ("group_commit.py",),
    "domain": ("wa_agents/domain/",),
    "webhook + http entrypoints": ("wa_agents/entrypoints/",),
    "Litestar": ("litestar/",),
    "uvicorn / httptools": ("uvicorn/", "httptools"),
    "asyncio / uvloop": ("asyncio/", "uvloop"),
    "model loading (onnxruntime, imports)": ("onnxruntime", "importlib", "minilm.py"),
}


class Profiler:
    def __init__(self, pid: int, seconds: float, path: Path) -> None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        command = [spy, "record", "-p", str(pid), "-d", str(int(seconds)), "-r", "200"]
        self.path = path
        self.proc = subprocess.Popen(
            [*command, "--format", "raw", "-o", str(path), "--nonblocking"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait(self) -> None:
        self.proc.wait(timeout=120)


def shares(path: Path) -> tuple[dict[str, float], list[tuple[str, float]]]:
    """(% per group, the 8 leaf frames with the most samples and their %)."""
    groups: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaves[frames[-1]] += n
        groups[_group(frames)] += n
    if not total:
        return {}, []
    inclusive = {name: groups[name] * 100 / total for name in [*GROUPS, "other"]}
    top = [(frame, n * 100 / total) for frame, n in leaves.most_common(8)]
    return inclusive, top


def _group(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, needles in GROUPS.items():
            if any(needle in frame for needle in needles):
                return name
    return "other"
