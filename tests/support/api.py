"""The API served for real: uvicorn on an ephemeral port, in a thread, with its own loop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from dependency_injector import providers
from litestar import Litestar

from wa_agents.adapters.memory.outbound import MemoryOutboundHttp
from wa_agents.adapters.security import Argon2PasswordHasher
from wa_agents.entrypoints.container import Container, build_container
from wa_agents.entrypoints.http import asgi
from wa_agents.entrypoints.settings import Settings

ADMIN = "root"
ADMIN_PASSWORD = "root-passphrase-for-tests"
PASSWORD = "a-long-test-passphrase"


def api_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": "memory",
        "secret_key": "k" * 40,
        "admin_username": ADMIN,
        "admin_password": ADMIN_PASSWORD,
        "debounce_ms": 0,
        "send_min_interval_ms": 0,
        "workers": 1,
        "embedder": "hashing",  # fast; tests/e2e runs the real defaults (MiniLM, chroma)
        "vector_store": "memory",
        **overrides,
    }
    return Settings(**values)


def api_container(settings: Settings) -> Container:
    """The real wiring, with argon2id at its cheapest so tests can log in often."""
    container = build_container(settings)
    cheap = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    container.hasher.override(providers.Object(cheap))
    # URLs given to the API (knowledge sources) go to a pretend internet, never a real one
    container.outbound.override(providers.Object(MemoryOutboundHttp()))
    return container


@contextmanager
def serving(app: Litestar) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1:<free port>; yields the base URL."""
    config = uvicorn.Config(asgi(app), host="127.0.0.1", port=0, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


class Api:
    """An httpx client on the served API, with login helpers."""

    def __init__(self, base_url: str, container: Container) -> None:
        self.url = base_url
        self.container = container
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def login(self, username: str, password: str) -> dict[str, Any]:
        response = self.http.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def token(self, username: str = ADMIN, password: str = ADMIN_PASSWORD) -> str:
        return str(self.login(username, password)["access_token"])

    def client(self, token: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def user(self, role: str, username: str | None = None) -> httpx.Client:
        """A new user of ``role``, logged in."""
        name = username or f"{role}-user"
        admin = self.client(self.token())
        created = admin.post(
            "/api/v1/users",
            json={
                "username": name,
                "email": f"{name}@example.com",
                "password": PASSWORD,
                "role": role,
            },
        )
        assert created.status_code == 201, created.text
        return self.client(self.token(name, PASSWORD))

    def wait_for(self, client: httpx.Client, path: str, predicate: Any, seconds: float = 10) -> Any:
        """Poll ``path`` until ``predicate(json)`` holds (workers run in the server)."""
        deadline = time.monotonic() + seconds
        while True:
            body = client.get(path).json()
            if predicate(body):
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} never matched; last: {body}")
            time.sleep(0.05)
