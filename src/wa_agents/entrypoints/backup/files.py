"""Owner-only files, written in full or not at all."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from wa_agents.domain.model.errors import WaAgentsError


class BackupError(WaAgentsError):
    """A backup or a restore cannot be done; the message says why and what to do."""


def default_name(suffix: str) -> Path:
    return Path(f"wa-agents-{datetime.now(UTC):%Y%m%d-%H%M%S}{suffix}")


@contextlib.contextmanager
def owner_only(output: Path) -> Iterator[Path]:
    """A fresh 0600 temporary file beside ``output``, renamed onto it when the block succeeds.

    An existing ``output`` is never overwritten, and a failure leaves nothing behind.
    """
    if output.exists():
        raise BackupError(f"{output} exists already: choose another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield temporary
        _fsync(temporary)
        os.replace(temporary, output)
    finally:
        for leftover in (temporary, *temporary.parent.glob(temporary.name + "-*")):
            leftover.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
