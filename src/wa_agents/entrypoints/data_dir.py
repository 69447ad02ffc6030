"""The data directory is owner-only: it holds the SQLite database (password and refresh-token
hashes, every message), its ``-wal``/``-shm`` files, the signing key, the chroma index and
media. Every ``wa-agents`` command runs with umask 077, so whatever it (or SQLite, chromadb,
a library) creates is 0600 (files) or 0700 (directories); on start, what an older version or
another tool left readable to others is tightened the same way.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

UMASK = 0o077  # no bit for group or others, on anything this process creates
OTHERS = 0o077


def owner_only_from_now() -> None:
    os.umask(UMASK)


def tighten(data_dir: Path) -> None:
    """Drop group and other permissions from ``data_dir`` and everything under it (links are
    left alone: what they point at is not ours). Nothing happens when it does not exist."""
    if not data_dir.is_dir():
        return
    _drop_others(data_dir)
    for root, dirs, files in os.walk(data_dir, followlinks=False):
        for name in dirs + files:
            _drop_others(Path(root) / name)


def _drop_others(path: Path) -> None:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode) or not mode & OTHERS:
        return
    try:
        path.chmod(stat.S_IMODE(mode) & ~OTHERS)
    except OSError as exc:  # not ours (a volume's root-owned file): say so, carry on
        print(f"wa-agents: cannot make {path} owner-only: {exc}", file=sys.stderr)
