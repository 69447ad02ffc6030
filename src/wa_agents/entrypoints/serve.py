"""``wa-agents serve`` and ``wa-agents create-user``."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
from typing import TextIO

import uvicorn

from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.user import Role
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.container import (
    build_container,
    close_resources,
    open_resources,
    preflight,
)
from wa_agents.entrypoints.http import asgi, create_app
from wa_agents.entrypoints.http.app import DASHBOARD
from wa_agents.entrypoints.logging_setup import configure_logging
from wa_agents.entrypoints.settings import Settings


def run_server(settings: Settings, host: str, port: int) -> int:
    """API + sandbox or bridge + in-process workers + dashboard, until Ctrl-C."""
    configure_logging(settings)
    try:  # fail before serving, in one line, when the database is unusable
        asyncio.run(preflight(settings))
    except WaAgentsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    app = create_app(build_container(settings))
    url = f"http://{host}:{port}"
    parts = [f"API {url}/api/v1", f"docs {url}/schema"]
    if (DASHBOARD / "index.html").is_file():
        parts.insert(0, f"dashboard {url}/")
    print(f"wa-agents: serving on {url} ({', '.join(parts)})", file=sys.stderr, flush=True)
    config = uvicorn.Config(
        asgi(app),
        host=host,
        port=port,
        lifespan="on",
        log_config=None,
        server_header=False,
        timeout_graceful_shutdown=3,  # live event streams never end on their own
    )
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once shut down
        server.run()
    return 0 if server.started else 1


def read_password(stdin: TextIO) -> str:
    if not stdin.isatty():
        return stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise WaAgentsError("the two passwords differ")
    return first


async def create_user(settings: Settings, username: str, email: str | None, role: str) -> int:
    """Create a dashboard user; the password is read from the terminal (or one stdin line)."""
    try:
        password = read_password(sys.stdin)
        container = build_container(settings)
        await open_resources(container)
        try:
            platform: Platform = container.platform()
            user = await platform.users.create(
                username, email or f"{username}@localhost", password, Role(role), actor="cli"
            )
        finally:
            await close_resources(container)
    except WaAgentsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    print(f"user '{user.username}' created with role {user.role.value}")
    return 0
