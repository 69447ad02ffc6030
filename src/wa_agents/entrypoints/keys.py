"""The JWT signing key: ``WA_SECRET_KEY``, or one generated once into the data directory.

The generated key is 256 random bits (hex), written with mode 0600 before any byte of it is,
so no other user can ever read it; later starts reuse it, so tokens survive a restart.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from wa_agents.entrypoints.settings import Settings, SettingsError

KEY_FILE = "secret_key"


def signing_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return settings.secret_key.encode()
    path = Path(settings.data_dir) / KEY_FILE
    try:
        return path.read_text().strip().encode()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip().encode()
    except OSError as exc:
        raise SettingsError(
            f"WA_DATA_DIR={settings.data_dir}: cannot write {path}: {exc}"
        ) from None
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key.encode()
