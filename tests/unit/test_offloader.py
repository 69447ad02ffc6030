"""The offloader bounds how many blocking calls run at once, on whichever loop calls it."""

from __future__ import annotations

import asyncio
import threading
import time

from wa_agents.domain.services.threads import Offloader


def test_it_runs_at_most_its_limit_at_once_and_survives_a_new_event_loop() -> None:
    offload = Offloader(2)
    running, peak, lock = 0, 0, threading.Lock()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    async def burst() -> None:
        await asyncio.gather(*(offload(work) for _ in range(6)))

    asyncio.run(burst())
    asyncio.run(burst())  # a second loop: the first loop's semaphore must not be reused
    assert peak == 2
