"""``wa-agents serve`` started as an attacker meets it: a real process on a real port, its log
captured, cheap defaults (argon2 stays real)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.server_process import ServerProcess

ADMIN, ADMIN_PASSWORD = "root", "root-passphrase-for-attack-tests"
FAST = {
    "WA_DATABASE_URL": "memory",
    "WA_EMBEDDER": "hashing",
    "WA_VECTOR_STORE": "memory",
    "WA_DEBOUNCE_MS": "0",
    "WA_SEND_MIN_INTERVAL_MS": "0",
    "WA_WORKERS": "1",
    "WA_SECRET_KEY": "k" * 40,
    "WA_ADMIN_USERNAME": ADMIN,
    "WA_ADMIN_PASSWORD": ADMIN_PASSWORD,
}


class Served:
    def __init__(self, server: ServerProcess, log: Path) -> None:
        self.server, self.url, self.log_path = server, server.url, log
        self.http = httpx.Client(base_url=server.url, timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_bytes(self) -> bytes:
        return self.log_path.read_bytes()

    def admin(self) -> httpx.Client:
        answer = self.http.post(
            "/api/v1/auth/login", json={"username": ADMIN, "password": ADMIN_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        token = answer.json()["access_token"]
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )


@contextmanager
def served(tmp_path: Path, **env: str) -> Iterator[Served]:
    """The server with ``FAST`` plus ``env`` (``WA_DATA_DIR`` in ``tmp_path`` unless given)."""
    log = tmp_path / "serve.log"
    settings = {**FAST, "WA_DATA_DIR": str(tmp_path / "var"), **env}
    server = ServerProcess({k: v for k, v in settings.items() if v != ""}, log)
    server.start(timeout=180)  # two shared cores: a cold start can take a while
    harness = Served(server, log)
    try:
        yield harness
    finally:
        harness.http.close()
        server.stop()
