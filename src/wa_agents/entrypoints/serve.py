"""``wa-agents serve`` and ``wa-agents create-user``."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import sys
from typing import Any, TextIO

import uvicorn
from litestar.types import ASGIApp

from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.user import Role
from wa_agents.domain.services.bootstrap import ensure_first_admin
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.banner import banner
from wa_agents.entrypoints.container import (
    build_container,
    close_resources,
    open_resources,
    preflight,
)
from wa_agents.entrypoints.http import asgi, create_app
from wa_agents.entrypoints.http.app import DASHBOARD
from wa_agents.entrypoints.http.lifespan import announce_first_admin
from wa_agents.entrypoints.logging_setup import configure_logging
from wa_agents.entrypoints.settings import Settings, load_settings

SERVER_OPTIONS: dict[str, Any] = {
    "lifespan": "on",
    "log_config": None,
    "server_header": False,
    "timeout_graceful_shutdown": 3,  # live event streams never end on their own
}


def proxy_options(settings: Settings) -> dict[str, Any]:
    """X-Forwarded-For decides the client address (login throttling): believed only from the
    proxies in WA_TRUSTED_PROXIES, never from anyone by default (uvicorn's default trusts
    127.0.0.1, and FORWARDED_ALLOW_IPS from the environment)."""
    return {
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies),
    }


def run_server(settings: Settings, host: str, port: int, processes: int = 1) -> int:
    """API + sandbox or bridge + in-process workers + dashboard, until Ctrl-C.

    ``processes`` > 1 runs that many server processes on the one port (uvicorn's supervisor
    shares the socket and restarts a process that dies), each with its own job workers; they
    share everything through PostgreSQL (and Redis, when set), so SQLite and the in-process
    sandbox refuse it."""
    configure_logging(settings)
    refusal = why_not_processes(settings, processes)
    if refusal:
        print(f"wa-agents: {refusal}", file=sys.stderr)
        return 2
    try:  # fail before serving, in one line, when the database is unusable
        asyncio.run(preflight(settings))
        if processes > 1:  # made once, here, not raced by the processes
            asyncio.run(_first_admin(settings))
    except WaAgentsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    url = f"http://{host}:{port}"
    built = (DASHBOARD / "index.html").is_file()
    print(banner(settings, url, dashboard=built), file=sys.stderr, flush=True)
    if processes > 1:
        print(f"wa-agents: {processes} server processes on {url}", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.run(
                f"{__name__}:served_app",
                factory=True,
                host=host,
                port=port,
                workers=processes,
                **SERVER_OPTIONS,
                **proxy_options(settings),
            )
        return 0
    app = create_app(build_container(settings), dashboard=DASHBOARD)
    config = uvicorn.Config(
        asgi(app), host=host, port=port, **SERVER_OPTIONS, **proxy_options(settings)
    )
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once shut down
        server.run()
    return 0 if server.started else 1


def why_not_processes(settings: Settings, processes: int) -> str | None:
    if processes < 1:
        return "--workers must be at least 1"
    if processes == 1:
        return None
    if settings.storage == "memory" or settings.embedded_database:
        return (
            "SQLite (and memory) keep one process: --workers N needs PostgreSQL "
            "(WA_DATABASE_URL=postgresql+psycopg://...); on SQLite run one process"
        )
    if settings.messaging == "sandbox":
        return "the sandbox lives inside one process: --workers N needs WA_BRIDGE_URL"
    return None


def served_app() -> ASGIApp:
    """One server process of ``serve --workers N`` (uvicorn imports this in each of them)."""
    settings = load_settings()
    configure_logging(settings)
    return asgi(create_app(build_container(settings), dashboard=DASHBOARD))


async def _first_admin(settings: Settings) -> None:
    container = build_container(settings)
    await open_resources(container)
    try:
        platform: Platform = container.platform()
        made = await ensure_first_admin(
            platform.users, settings.admin_username, settings.admin_password
        )
        if made is not None:
            announce_first_admin(made)
    finally:
        await close_resources(container)


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
