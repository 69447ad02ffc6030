"""The durable job queue.

Two faces:

* ``JobOutbox`` (``uow.jobs``) enqueues inside the caller's unit of work, so a job commits
  together with the rows that caused it, or not at all (the transactional outbox).
  With ``coalesce=True`` and a PENDING job of the same kind and key that has not been claimed,
  no new job is added: the pending one is returned with ``run_at`` moved to the later of the
  two times (this is how a burst of messages becomes one turn).
  With ``lease``, the job is inserted already claimed: RUNNING, one attempt used, held by
  ``lease.worker_id`` until ``lease.until`` (a follow-up its worker runs next itself; if that
  worker dies, the lease runs out and the job is claimed again like any other). That is only
  when no other job of its ``kind`` and ``key`` is unfinished: otherwise it is enqueued
  PENDING like any other and waits its turn, so a lease never overtakes an earlier job like
  it (a reply's send never goes before an earlier reply's; the returned job says which it
  became). Jobs of other kinds of the key (a turn queued meanwhile) do not stop the lease;
  they wait while it is live, as they wait for any running job of their key.
  ``complete(job)`` marks a job DONE inside the unit of work that wrote its result, so the
  result and the job's end commit together or not at all. It is fenced like
  ``JobQueue.complete``: the job must still be RUNNING and held by ``job.worker_id``;
  otherwise it raises ``LeaseLost`` and the caller must not commit (leaving the unit of work
  without commit rolls back everything it wrote).

* ``JobQueue`` claims and settles jobs, each call its own transaction.
  ``claim`` returns at most one due job (``run_at <= now``), PENDING or RUNNING with an expired
  lease, and leases it to ``worker_id`` until ``now + lease`` (incrementing ``attempts``).
  Jobs sharing a ``key`` run one at a time in enqueue order: only the oldest unfinished
  (PENDING or RUNNING) job of a key can be claimed. DONE and DEAD jobs block nothing.
  Concurrent claims never hand the same job to two workers.
  ``complete``/``fail``/``release`` act only if ``worker_id`` still holds the lease and return
  False otherwise (a stale worker must not settle someone else's job). ``fail`` with
  ``retry_at=None`` makes the job DEAD; ``release`` puts it back PENDING (at ``run_at``,
  default now) without using an attempt: for work that must wait, not fail (a disconnected
  number). ``extend`` renews the lease of a job still running (a heartbeat), so leases can be
  short and a crashed worker's job is picked up soon, while a long job keeps its own.
  ``wake`` makes every PENDING job (of ``kind``, when given) whose key starts with
  ``key_prefix`` due at ``now`` (a
  number reconnected: its held replies go out at once); it returns how many it moved.
  ``retry`` moves a DEAD job back to PENDING with attempts reset; ``NotFound`` for an
  unknown id, ``InvalidTransition`` when the job is not dead.
  ``oldest`` is the job of ``status`` with the earliest ``run_at`` (enqueue order breaks
  ties), or None: how far behind a queue is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from wa_agents.domain.model.job import Job, JobLease, JobStatus, KindBacklog
from wa_agents.domain.model.page import Page, PageRequest


class JobOutbox(Protocol):
    async def enqueue(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        key: str | None = None,
        run_at: datetime | None = None,
        max_attempts: int = 5,
        coalesce: bool = False,
        lease: JobLease | None = None,
    ) -> Job: ...
    async def complete(self, job: Job) -> None: ...


class JobQueue(Protocol):
    async def claim(
        self, kinds: frozenset[str], *, worker_id: str, lease: timedelta, now: datetime
    ) -> Job | None: ...
    async def complete(self, job_id: str, *, worker_id: str) -> bool: ...
    async def fail(
        self, job_id: str, *, worker_id: str, error: str, retry_at: datetime | None
    ) -> bool: ...
    async def release(
        self, job_id: str, *, worker_id: str, run_at: datetime | None = None
    ) -> bool: ...
    async def extend(self, job_id: str, *, worker_id: str, lease_until: datetime) -> bool: ...
    async def wake(self, key_prefix: str, *, now: datetime, kind: str | None = None) -> int: ...
    async def get(self, job_id: str) -> Job: ...
    async def list(self, status: JobStatus | None, page: PageRequest) -> Page[Job]: ...
    async def retry(self, job_id: str, *, now: datetime) -> Job: ...
    async def counts(self) -> dict[JobStatus, int]: ...
    async def oldest(self, status: JobStatus) -> Job | None: ...
    async def backlog(self, now: datetime) -> tuple[KindBacklog, ...]: ...
