"""Running slow synchronous work (password hashing) off the event loop, bounded."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Offloader:
    """Runs callables in threads, at most ``limit`` at once (default: the core count)."""

    def __init__(self, limit: int | None = None) -> None:
        self._limit = limit or os.cpu_count() or 1
        self._semaphore: asyncio.Semaphore | None = None

    async def __call__(self, fn: Callable[..., T], *args: object) -> T:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self._limit)
        async with self._semaphore:
            return await asyncio.to_thread(fn, *args)
