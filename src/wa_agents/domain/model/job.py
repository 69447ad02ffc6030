"""Background jobs: agent turns, outbound sends, indexing."""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


class JobKind(enum.StrEnum):
    TURN = "turn"
    SEND = "send"
    INDEX = "index"


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    id: str
    kind: str
    payload: dict[str, Any]
    key: str | None
    status: JobStatus
    run_at: datetime
    created_at: datetime
    attempts: int = 0
    max_attempts: int = 5
    lease_until: datetime | None = None
    worker_id: str | None = None
    last_error: str | None = None
    seq: int = 0  # enqueue order; jobs of one key run in this order

    @property
    def attempts_left(self) -> bool:
        return self.attempts < self.max_attempts


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Capped exponential backoff with full jitter."""

    base: timedelta = timedelta(seconds=1)
    cap: timedelta = timedelta(minutes=5)
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int) -> timedelta:
        ceiling = min(
            self.cap.total_seconds(), self.base.total_seconds() * 2 ** max(0, attempt - 1)
        )
        return timedelta(seconds=self.rng.uniform(ceiling / 2, ceiling))
