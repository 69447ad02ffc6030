"""In-process workers: asyncio tasks that each loop over ``JobRunner.run_once``.

Each worker has its own runner (and worker id), so a lease names the task that holds it.
A worker that finds nothing due sleeps on the platform's ``JobBell`` (rung when a job is
committed or made due again, here or, through PostgreSQL ``NOTIFY``, in another process) and
looks again after ``idle_seconds`` at the latest: an idle server does not poll its database.
``stop`` cancels them; a job cancelled mid-run is released back to the queue by the runner.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys

from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.container import build_container, close_resources, open_resources
from wa_agents.entrypoints.context import request_id
from wa_agents.entrypoints.logging_setup import configure_logging
from wa_agents.entrypoints.metrics import metrics_listener
from wa_agents.entrypoints.settings import Settings

log = logging.getLogger("wa_agents.worker")


class WorkerPool:
    def __init__(self, platform: Platform, count: int, *, idle_seconds: float = 2.0) -> None:
        self._platform, self._count, self._idle = platform, count, idle_seconds
        self._tasks: list[asyncio.Task[None]] = []
        self.prefix = f"{socket.gethostname()}-{os.getpid()}"

    def start(self) -> None:
        for n in range(self._count):
            worker_id = f"{self.prefix}-{n}"
            self._tasks.append(asyncio.create_task(self._loop(worker_id), name=worker_id))
        if self._platform.media is not None:
            self._tasks.append(asyncio.create_task(self._retention(), name="media-retention"))

    async def _retention(self) -> None:
        """Media retention: now, then every ``retention_every`` (every replica may run it:
        deleting what is expired twice deletes nothing more)."""
        media = self._platform.media
        assert media is not None
        while True:
            try:
                await media.purge_expired()
            except Exception:  # the store is down: try again next round
                log.exception("media retention failed")
            await asyncio.sleep(media.settings.retention_every.total_seconds())

    async def _loop(self, worker_id: str) -> None:
        request_id.set(f"worker-{worker_id.rsplit('-', 1)[-1]}")
        runner = self._platform.runner_for(worker_id)
        while True:
            try:
                job = await runner.run_once()
            except Exception:  # the queue itself failed (database down): back off, go on
                log.exception("worker %s could not claim a job", worker_id)
                await asyncio.sleep(1.0)
                continue
            if job is None:
                await self._idle_wait()

    async def _idle_wait(self) -> None:
        bell = self._platform.bell
        if bell is None:
            await asyncio.sleep(self._idle)
        else:
            await bell.wait(self._idle)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()


async def run_workers(settings: Settings, concurrency: int | None = None) -> int:
    """``wa-agents worker``: only the job workers, for scale-out beside ``wa-agents serve``.

    SIGTERM or SIGINT stops it gracefully: running jobs are cancelled and their leases
    released at once, so another worker picks them up without waiting for the lease to expire.
    """
    refusal = _why_not_alone(settings)
    if refusal:
        print(f"wa-agents: {refusal}", file=sys.stderr)
        return 2
    configure_logging(settings)
    container = build_container(settings)
    try:
        await open_resources(container)
    except WaAgentsError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        await close_resources(container)
        return 1
    pool = WorkerPool(container.platform(), concurrency or settings.workers)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    pool.start()
    log.info("%d workers running (%s)", concurrency or settings.workers, pool.prefix)
    print(
        f"wa-agents: {concurrency or settings.workers} workers running", file=sys.stderr, flush=True
    )
    try:
        async with metrics_listener(container):
            await stop.wait()
    finally:
        await pool.stop()
        await close_resources(container)
        log.info("workers stopped")
    return 0


def _why_not_alone(settings: Settings) -> str | None:
    """A separate worker shares work through the database and talks to a real bridge."""
    if settings.storage == "memory":
        return "WA_DATABASE_URL=memory keeps jobs in one process: a worker alone needs a database"
    if settings.messaging == "sandbox":
        return "the sandbox lives inside `wa-agents serve`: a separate worker needs WA_BRIDGE_URL"
    return None
