"""A circuit breaker: after repeated failures, stop calling a dependency for a while.

Closed: calls go through; ``threshold`` consecutive failures open it. Open: calls are refused
until ``cool_down`` has passed, then one trial call is let through (half-open): success closes
the circuit, failure opens it again for another ``cool_down``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

TRIAL_WAIT = timedelta(seconds=1)


class CircuitState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class CircuitBreaker:
    name: str
    threshold: int = 5
    cool_down: timedelta = timedelta(seconds=30)
    failures: int = 0
    opened_at: datetime | None = None
    trial_in_flight: bool = field(default=False)

    def state(self, now: datetime) -> CircuitState:
        if self.opened_at is None:
            return CircuitState.CLOSED
        if now - self.opened_at >= self.cool_down:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    def allow(self, now: datetime) -> bool:
        """May a call go through now? In half-open state, only one trial at a time."""
        state = self.state(now)
        if state == CircuitState.CLOSED:
            return True
        if state == CircuitState.HALF_OPEN and not self.trial_in_flight:
            self.trial_in_flight = True
            return True
        return False

    def retry_at(self, now: datetime) -> datetime:
        """When a refused call is worth trying again: the end of the cool-down, or (while a
        half-open trial is in flight) a moment from now, so waiters do not spin."""
        if self.opened_at is None:
            return now + min(self.cool_down, timedelta(seconds=2**self.failures))
        return max(self.opened_at + self.cool_down, now + TRIAL_WAIT)

    def record_success(self) -> None:
        self.failures, self.opened_at, self.trial_in_flight = 0, None, False

    def record_failure(self, now: datetime) -> None:
        self.failures += 1
        if self.trial_in_flight or self.failures >= self.threshold:
            self.opened_at = now
        self.trial_in_flight = False
