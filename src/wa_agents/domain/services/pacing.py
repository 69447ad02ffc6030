"""Pacing of sends per WhatsApp number: a minimum interval plus jitter between messages.

Numbers that send in perfectly regular bursts get flagged; this keeps each number's sends at
least ``interval`` apart (plus up to half of it again, at random). Sends of one number queue on
a lock; different numbers do not wait for each other. In-process: each worker process paces
its own sends.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager


class Pacer:
    def __init__(
        self,
        default_ms: int = 1000,
        *,
        rng: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.default_ms = default_ms
        self._rng = rng or random.Random()
        self._monotonic, self._sleep = monotonic, sleep
        self._next: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def slot(self, number: str, interval_ms: int | None = None) -> AsyncIterator[None]:
        """Hold the number's turn: waits until its interval since the last send has passed."""
        interval = (self.default_ms if interval_ms is None else interval_ms) / 1000
        lock = self._locks.setdefault(number, asyncio.Lock())
        async with lock:
            wait = self._next.get(number, 0.0) - self._monotonic()
            if interval > 0 and wait > 0:
                await self._sleep(wait)
            try:
                yield
            finally:
                if interval > 0:
                    jitter = self._rng.uniform(0, interval / 2)
                    self._next[number] = self._monotonic() + interval + jitter
