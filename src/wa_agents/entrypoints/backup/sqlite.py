"""SQLite: an online backup through SQLite's backup API, and a restore through it.

The backup reads one consistent snapshot while the server goes on writing (WAL lets writers
continue); the copy is checked (``PRAGMA integrity_check``) before it is given its name.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from wa_agents.entrypoints.backup.files import BackupError, owner_only

# SQLite's unix VFS holds a shared lock on this byte of the "-shm" file for as long as a
# connection has a WAL database open (the "dead man switch", UNIX_SHM_DMS in os_unix.c).
_SHM_DMS_BYTE = 128
BUSY_TIMEOUT_S = 30.0


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    mode = "ro" if read_only else "rw"
    try:
        connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open the SQLite database {path}: {exc}") from None
    try:
        yield connection
    finally:
        connection.close()


def revision(connection: sqlite3.Connection, path: Path) -> str:
    """The Alembic revision of a checked wa_agents database, else ``BackupError``."""
    try:
        [(verdict,)] = connection.execute("PRAGMA integrity_check").fetchall()
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.Error, ValueError) as exc:
        raise BackupError(f"{path} is not a wa_agents SQLite database: {exc}") from None
    if verdict != "ok" or row is None:
        raise BackupError(f"{path} is damaged or not a wa_agents database ({verdict})")
    return str(row[0])


def backup(database: Path, output: Path) -> str:
    """Copy ``database`` into the owner-only file ``output``; returns its revision."""
    if not database.is_file():
        raise BackupError(f"there is no SQLite database at {database}")
    with owner_only(output) as temporary, _connect(database) as source, _connect(temporary) as copy:
        source.backup(copy)  # one step: one read transaction, one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        return revision(copy, output)


def in_use(database: Path) -> bool:
    """Whether another process has the database open (a running server or worker)."""
    shm = database.with_name(database.name + "-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


def restore(file: Path, database: Path, *, force: bool) -> tuple[str, Path | None]:
    """Replace ``database`` with the backup ``file``; returns (revision, safety copy).

    Refused while another process holds the database, unless ``force``. The database being
    replaced is first backed up beside itself, so a mistaken restore can be undone.
    """
    with _connect(file, read_only=True) as check:
        restored = revision(check, file)
    if not force and in_use(database):
        raise BackupError(
            f"{database} is open in another process (a running wa-agents server or worker): "
            "stop it first, or pass --force to restore under it"
        )
    safety = None
    if database.is_file():
        safety = database.with_name(
            f"{database.name}.before-restore-{datetime.now(UTC):%Y%m%d-%H%M%S}"
        )
        backup(database, safety)
    database.parent.mkdir(parents=True, exist_ok=True)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with _connect(file, read_only=True) as source, _connect(database) as target:
        source.backup(target)
    return restored, safety
