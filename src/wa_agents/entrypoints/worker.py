"""In-process workers: asyncio tasks that each loop over ``JobRunner.run_once``.

Each worker has its own runner (and worker id), so a lease names the task that holds it.
``stop`` cancels them; a job cancelled mid-run is released back to the queue by the runner.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket

from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.context import request_id

log = logging.getLogger("wa_agents.worker")


class WorkerPool:
    def __init__(self, platform: Platform, count: int, *, idle_seconds: float = 0.1) -> None:
        self._platform, self._count, self._idle = platform, count, idle_seconds
        self._tasks: list[asyncio.Task[None]] = []
        self.prefix = f"{socket.gethostname()}-{os.getpid()}"

    def start(self) -> None:
        for n in range(self._count):
            worker_id = f"{self.prefix}-{n}"
            self._tasks.append(asyncio.create_task(self._loop(worker_id), name=worker_id))

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
                await asyncio.sleep(self._idle)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
