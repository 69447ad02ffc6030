"""Login throttling: attempts per client address and per account, failures per address.

In-process sliding windows (one replica; ``WA_REDIS_URL`` is where a shared store would go).
The account key is the username as typed, so an unknown name is throttled exactly like a
real one and the answer tells nothing about which names exist.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from litestar.exceptions import TooManyRequestsException


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    seconds: float


class _Window:
    def __init__(self, limit: Limit, now: Callable[[], float]) -> None:
        self._limit, self._now = limit, now
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def _live(self, key: str) -> deque[float]:
        hits, horizon = self._hits[key], self._now() - self._limit.seconds
        while hits and hits[0] <= horizon:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return deque()
        return hits

    def retry_after(self, key: str) -> int | None:
        hits = self._live(key)
        if len(hits) < self._limit.count:
            return None
        return max(1, math.ceil(hits[0] + self._limit.seconds - self._now()))

    def hit(self, key: str) -> None:
        self._live(key)
        self._hits[key].append(self._now())


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
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._address = _Window(per_address, now)
        self._account = _Window(per_account, now)
        self._failures = _Window(failures_per_address, now)

    def attempt(self, address: str, username: str) -> None:
        """Count an attempt, or raise 429 (with Retry-After) when a limit is reached."""
        account = username.strip().lower()
        waits = [
            self._address.retry_after(address),
            self._account.retry_after(account),
            self._failures.retry_after(address),
        ]
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            raise TooManyRequestsException(
                "too many login attempts; try again later", headers={"Retry-After": str(wait)}
            )
        self._address.hit(address)
        self._account.hit(account)

    def failed(self, address: str) -> None:
        self._failures.hit(address)
