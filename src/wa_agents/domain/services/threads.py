"""Running slow synchronous work (password hashing) off the event loop, bounded."""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Offloader:
    """Runs callables in threads, at most ``limit`` at once (default: the core count).

    The bound is kept per event loop (an asyncio semaphore belongs to one loop), so one
    offloader can serve a process whose loop is replaced, as a test run's are."""

    def __init__(self, limit: int | None = None) -> None:
        self._limit = limit or os.cpu_count() or 1
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._semaphores = weakref.WeakKeyDictionary()

    async def __call__(self, fn: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self._limit)
        async with semaphore:
            return await asyncio.to_thread(fn, *args)
