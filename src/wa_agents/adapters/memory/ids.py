"""Id generators: time-ordered random ids for production, sequential ids for tests."""

from __future__ import annotations

import itertools
import os
import threading
import time

from wa_agents.ports.clock import IdGenerator


class TimeOrderedIdGenerator(IdGenerator):
    """32 hex characters: milliseconds, a counter, and randomness (like a UUIDv7).

    Ids from one generator sort in creation order, even within one millisecond.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def new_id(self) -> str:
        with self._lock:
            ms = time.time_ns() // 1_000_000
            if ms <= self._last_ms:
                ms = self._last_ms
                self._counter += 1
            else:
                self._last_ms, self._counter = ms, 0
            return f"{ms:012x}{self._counter:06x}{os.urandom(7).hex()}"


class SequentialIdGenerator(IdGenerator):
    """``prefix-000001``, ``prefix-000002``, …: deterministic, for tests."""

    def __init__(self, prefix: str = "id") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._counter):06d}"
