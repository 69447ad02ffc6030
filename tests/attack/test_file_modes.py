"""The data directory and everything in it are owner-only (0700 directories, 0600 files): the
SQLite database and its -wal/-shm, the generated signing key, the embedded chroma index, and
whatever an older version left readable (here, a chroma index)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.support.attack_server import served

SQLITE_AND_KEY_FILE = {"WA_DATABASE_URL": "", "WA_SECRET_KEY": ""}


def modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_every_file_in_the_data_dir_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)  # as an older version (or a careless operator) left it
    for old in (data / "notes.txt", data / "chroma" / "chroma.sqlite3"):
        old.parent.mkdir(mode=0o755, exist_ok=True)
        old.parent.chmod(0o755)
        old.write_text("left behind")
        old.chmod(0o644)
    previous = os.umask(0o022)  # a permissive umask, as most shells have
    try:
        with served(tmp_path, WA_DATA_DIR=str(data), **SQLITE_AND_KEY_FILE) as server:
            admin = server.admin()  # a login writes (refresh token): the WAL is in use
            assert admin.post(
                "/api/v1/agents", json={"name": "A", "model": "scripted", "system_prompt": "Hi"}
            ).is_success
            seen = modes(data)
    finally:
        os.umask(previous)
    for name in ("wa_agents.db", "wa_agents.db-wal", "wa_agents.db-shm", "secret_key", "chroma"):
        assert name in seen, sorted(seen)
    assert seen["."] == 0o700 and seen["wa_agents.db"] == 0o600
    loose = {name: oct(mode) for name, mode in seen.items() if mode & 0o077}
    assert loose == {}, loose
