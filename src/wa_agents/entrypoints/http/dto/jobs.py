"""Jobs as the API shows them (the dead-letter view)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from wa_agents.domain.model.job import Job


class JobOut(msgspec.Struct):
    id: str
    kind: str
    status: str
    key: str | None
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    run_at: datetime
    last_error: str | None
    created_at: datetime

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls(
            job.id,
            job.kind,
            job.status.value,
            job.key,
            job.payload,
            job.attempts,
            job.max_attempts,
            job.run_at,
            job.last_error,
            job.created_at,
        )


class JobPage(msgspec.Struct):
    items: list[JobOut]
    total: int
    limit: int
    offset: int
