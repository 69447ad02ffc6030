"""Login throttling: attempts per client address and per account, failures per address; and
the webhook's rate limit per number.

Sliding windows in a ``HitWindows`` backend: this process's memory, or Redis with
``WA_REDIS_URL`` (every replica counts the same attempts; an outage falls back to local
windows). The account key is the username as typed, so an unknown name is throttled exactly
like a real one and the answer tells nothing about which names exist. Times are wall-clock
seconds, so processes on different hosts agree.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from litestar.exceptions import TooManyRequestsException

from wa_agents.domain.services.rate_windows import LocalHitWindows
from wa_agents.ports.rate_limits import HitWindows


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    seconds: float


class _Window:
    def __init__(
        self, name: str, limit: Limit, windows: HitWindows, now: Callable[[], float]
    ) -> None:
        self._name, self._limit, self._windows, self._now = name, limit, windows, now

    async def retry_after(self, key: str) -> int | None:
        now = self._now()
        hits = await self._windows.recent(
            f"{self._name}:{key}", seconds=self._limit.seconds, now=now
        )
        if len(hits) < self._limit.count:
            return None
        return max(1, math.ceil(hits[-self._limit.count] + self._limit.seconds - now))

    async def hit(self, key: str) -> None:
        await self._windows.add(f"{self._name}:{key}", seconds=self._limit.seconds, now=self._now())


PER_ADDRESS = Limit(20, 60)  # attempts a minute from one client address
PER_ACCOUNT = Limit(10, 60)  # attempts a minute at one username (lockout comes at 5 failures)
FAILURES_PER_ADDRESS = Limit(100, 3600)  # failed logins an hour from one client address


class LoginThrottle:
    def __init__(
        self,
        *,
        per_address: Limit = PER_ADDRESS,
        per_account: Limit = PER_ACCOUNT,
        failures_per_address: Limit = FAILURES_PER_ADDRESS,
        now: Callable[[], float] = time.time,
        windows: HitWindows | None = None,
    ) -> None:
        shared = windows or LocalHitWindows()
        self._address = _Window("login-address", per_address, shared, now)
        self._account = _Window("login-account", per_account, shared, now)
        self._failures = _Window("login-failures", failures_per_address, shared, now)

    async def attempt(self, address: str, username: str) -> None:
        """Count an attempt, or raise 429 (with Retry-After) when a limit is reached."""
        account = username.strip().lower()
        waits = [
            await self._address.retry_after(address),
            await self._account.retry_after(account),
            await self._failures.retry_after(address),
        ]
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise TooManyRequestsException(
                "too many login attempts; try again later", headers={"Retry-After": str(wait)}
            )
        await self._address.hit(address)
        await self._account.hit(account)

    async def failed(self, address: str) -> None:
        await self._failures.hit(address)


class WebhookLimit:
    """At most ``per_minute`` webhook deliveries a minute per number (0: no limit); beyond it
    429 with Retry-After, which a bridge answers by delivering again later."""

    def __init__(
        self, per_minute: int, windows: HitWindows, now: Callable[[], float] = time.time
    ) -> None:
        self.per_minute = per_minute
        self._window = _Window("webhook", Limit(max(1, per_minute), 60), windows, now)

    async def check(self, session_id: str) -> None:
        if self.per_minute <= 0:
            return
        wait = await self._window.retry_after(session_id)
        if wait is not None:
            raise TooManyRequestsException(
                f"more than {self.per_minute} webhook events a minute for {session_id}",
                headers={"Retry-After": str(wait)},
            )
        await self._window.hit(session_id)
