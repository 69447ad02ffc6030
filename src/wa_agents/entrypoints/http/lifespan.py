"""Start-up and shut-down of the served app: resources, the first admin, the workers."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from litestar import Litestar

from wa_agents.domain.services.bootstrap import FirstAdmin, ensure_first_admin
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.container import Container, close_resources, open_resources
from wa_agents.entrypoints.metrics import metrics_listener
from wa_agents.entrypoints.settings import Settings
from wa_agents.entrypoints.worker import WorkerPool


def announce_first_admin(made: FirstAdmin) -> None:
    """Printed (never logged): the one time anybody sees a generated password."""
    if made.generated_password is None:
        line = f"first admin '{made.user.username}' created from WA_ADMIN_USERNAME/PASSWORD"
    else:
        line = (
            f"first admin created: username '{made.user.username}', password "
            f"'{made.generated_password}' (shown once: log in and keep it safe)"
        )
    print(f"wa-agents: {line}", file=sys.stderr, flush=True)


def make_lifespan(
    container: Container,
    *,
    workers: int | None,
    announce: Callable[[FirstAdmin], None] = announce_first_admin,
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        settings: Settings = container.settings()
        await open_resources(container)
        platform: Platform = container.platform()
        made = await ensure_first_admin(
            platform.users, settings.admin_username, settings.admin_password
        )
        if made is not None:
            announce(made)
        pool = WorkerPool(platform, settings.workers if workers is None else workers)
        pool.start()
        try:
            async with metrics_listener(container):
                yield
        finally:
            await platform.commits.close()  # webhooks still waiting: committed, then answered
            await pool.stop()
            await close_resources(container)

    return lifespan
