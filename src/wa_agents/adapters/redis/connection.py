"""The one Redis client of a process (``WA_REDIS_URL``), and how an outage is reported.

Short time limits: Redis is a shared cache of limits and events here, never the record, so a
slow or missing Redis must cost a request milliseconds, not seconds. ``Degradation`` logs the
first failure and the recovery once each, not every call.
"""

from __future__ import annotations

import logging
import time

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("wa_agents.redis")
FAILURES = (RedisError, OSError)  # connection refused, time-outs, a server gone mid-reply


def connect(url: str, *, timeout: float = 0.5) -> aioredis.Redis:
    """A client (a pool; nothing connects until the first command)."""
    return aioredis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
        decode_responses=False,
    )


class Degradation:
    """Tracks whether ``what`` runs on Redis or on local state, logging each change once."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.degraded_since: float | None = None

    def failed(self, exc: BaseException) -> None:
        if self.degraded_since is None:
            self.degraded_since = time.time()
            log.warning("Redis unavailable: %s are local to this process (%r)", self.what, exc)

    def recovered(self) -> None:
        if self.degraded_since is not None:
            log.warning("Redis is back: %s are shared again", self.what)
            self.degraded_since = None

    @property
    def degraded(self) -> bool:
        return self.degraded_since is not None
