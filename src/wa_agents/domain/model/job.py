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
    APPROVAL_EXPIRY = "approval_expiry"  # an approval nobody decided in time
    APPROVAL_RESUME = "approval_resume"  # a decided approval: finish its turn
    HANDOFF_TIMEOUT = "handoff_timeout"  # a person has not answered for a while: back to ai
    MEDIA = "media"  # fetch an inbound file, transcribe or read it


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
class JobLease:
    """A job enqueued already claimed: RUNNING, held by ``worker_id`` until ``until``. The
    follow-up a worker runs itself right after the job that made it (a turn's first send),
    granted only when no other job of its kind and key is unfinished (see ``ports.jobs``)."""

    worker_id: str
    until: datetime


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


@dataclass(frozen=True, slots=True)
class KindBacklog:
    """One kind's queue, for metrics: jobs waiting or running, the oldest due one, the dead."""

    kind: str
    queued: int = 0  # pending or running
    oldest_due: datetime | None = None  # the earliest run_at of a pending job already due
    dead: int = 0
