"""In-memory job outbox and queue (see ``wa_agents.ports.jobs`` for the contract)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.errors import InvalidTransition, LeaseLost
from wa_agents.domain.model.job import Job, JobLease, JobStatus, KindBacklog
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.jobs import JobOutbox, JobQueue

_UNFINISHED = (JobStatus.PENDING, JobStatus.RUNNING)


def _table(db: MemoryDatabase) -> Table[str, Job]:
    return Table(lambda: db.jobs, "job", lambda j: j.id, lambda j: j.seq)


class MemoryJobOutbox(JobOutbox):
    """Enqueues into the database of the surrounding unit of work."""

    def __init__(self, db: MemoryDatabase, clock: Clock, ids: IdGenerator) -> None:
        self._db = db
        self._clock = clock
        self._ids = ids

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
    ) -> Job:
        now = self._clock.now()
        when = run_at or now
        if coalesce and key is not None and lease is None:
            for job in self._db.jobs.values():
                if (job.kind, job.key, job.status, job.attempts) == (
                    kind,
                    key,
                    JobStatus.PENDING,
                    0,
                ):
                    merged = replace(job, run_at=max(job.run_at, when))
                    self._db.jobs[job.id] = merged
                    return merged
        self._db.job_seq += 1
        job = Job(
            id=self._ids.new_id(),
            kind=kind,
            payload=dict(payload),
            key=key,
            status=JobStatus.PENDING,
            run_at=when,
            created_at=now,
            max_attempts=max_attempts,
            seq=self._db.job_seq,
        )
        if lease is not None and not self._overtakes(kind, key):
            job = replace(
                job,
                status=JobStatus.RUNNING,
                attempts=1,
                lease_until=lease.until,
                worker_id=lease.worker_id,
            )
        self._db.jobs[job.id] = job
        return job

    def _overtakes(self, kind: str, key: str | None) -> bool:
        """Another job of ``kind`` and ``key`` is unfinished: a lease would overtake it."""
        return key is not None and any(
            (other.kind, other.key) == (kind, key) and other.status in _UNFINISHED
            for other in self._db.jobs.values()
        )

    async def complete(self, job: Job) -> None:
        current = self._db.jobs.get(job.id)
        if (
            current is None
            or current.status != JobStatus.RUNNING
            or current.worker_id != job.worker_id
        ):
            raise LeaseLost(f"job {job.id} is no longer held by {job.worker_id}")
        self._db.jobs[job.id] = replace(
            current, status=JobStatus.DONE, lease_until=None, worker_id=None
        )


def claimable(jobs: list[Job], kinds: frozenset[str], now: datetime) -> Job | None:
    """The job a worker should take next, honouring per-key order: a job waits for every
    older unfinished job of its key, and for any job of its key that is running now (a
    dead job brought back by ``retry`` keeps its old place but must not run beside a newer one).
    """

    def blocked(job: Job) -> bool:
        return job.key is not None and any(
            other.key == job.key
            and other.seq != job.seq
            and (
                (other.seq < job.seq and other.status in _UNFINISHED)
                or (other.status == JobStatus.RUNNING and _leased(other, now))
            )
            for other in jobs
        )

    due = [
        job
        for job in jobs
        if job.kind in kinds
        and (
            (job.status == JobStatus.PENDING and job.run_at <= now)
            or (job.status == JobStatus.RUNNING and not _leased(job, now))
        )
        and not blocked(job)
    ]
    return min(due, key=lambda j: (j.run_at, j.seq), default=None)


def _leased(job: Job, now: datetime) -> bool:
    return job.lease_until is not None and job.lease_until > now


class MemoryJobQueue(JobQueue):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._table = _table(db)

    async def claim(
        self, kinds: frozenset[str], *, worker_id: str, lease: timedelta, now: datetime
    ) -> Job | None:
        async with self._db.lock:
            job = claimable(list(self._db.jobs.values()), kinds, now)
            if job is None:
                return None
            job = replace(
                job,
                status=JobStatus.RUNNING,
                attempts=job.attempts + 1,
                lease_until=now + lease,
                worker_id=worker_id,
            )
            self._db.jobs[job.id] = job
            return job

    def _held(self, job_id: str, worker_id: str) -> Job | None:
        job = self._db.jobs.get(job_id)
        if job is None or job.status != JobStatus.RUNNING or job.worker_id != worker_id:
            return None
        return job

    async def _settle(self, job_id: str, worker_id: str, **changes: Any) -> bool:
        async with self._db.lock:
            job = self._held(job_id, worker_id)
            if job is None:
                return False
            self._db.jobs[job_id] = replace(job, lease_until=None, worker_id=None, **changes)
            return True

    async def complete(self, job_id: str, *, worker_id: str) -> bool:
        return await self._settle(job_id, worker_id, status=JobStatus.DONE)

    async def fail(
        self, job_id: str, *, worker_id: str, error: str, retry_at: datetime | None
    ) -> bool:
        if retry_at is None:
            return await self._settle(job_id, worker_id, status=JobStatus.DEAD, last_error=error)
        return await self._settle(
            job_id, worker_id, status=JobStatus.PENDING, run_at=retry_at, last_error=error
        )

    async def release(self, job_id: str, *, worker_id: str, run_at: datetime | None = None) -> bool:
        async with self._db.lock:
            job = self._held(job_id, worker_id)
            if job is None:
                return False
            self._db.jobs[job_id] = replace(
                job,
                status=JobStatus.PENDING,
                attempts=job.attempts - 1,
                lease_until=None,
                worker_id=None,
                run_at=run_at or job.run_at,
            )
            return True

    async def extend(self, job_id: str, *, worker_id: str, lease_until: datetime) -> bool:
        async with self._db.lock:
            job = self._held(job_id, worker_id)
            if job is None:
                return False
            self._db.jobs[job_id] = replace(job, lease_until=lease_until)
            return True

    async def wake(self, key_prefix: str, *, now: datetime, kind: str | None = None) -> int:
        async with self._db.lock:
            woken = [
                job
                for job in self._db.jobs.values()
                if job.status == JobStatus.PENDING
                and kind in (None, job.kind)
                and job.key is not None
                and job.key.startswith(key_prefix)
                and job.run_at > now
            ]
            for job in woken:
                self._db.jobs[job.id] = replace(job, run_at=now)
            return len(woken)

    async def get(self, job_id: str) -> Job:
        return self._table.get(job_id)

    async def list(self, status: JobStatus | None, page: PageRequest) -> Page[Job]:
        return self._table.page(page, lambda j: status in (None, j.status))

    async def retry(self, job_id: str, *, now: datetime) -> Job:
        async with self._db.lock:
            job = self._table.get(job_id)
            if job.status != JobStatus.DEAD:
                raise InvalidTransition(f"job {job_id} is {job.status}, only dead jobs are retried")
            job = replace(job, status=JobStatus.PENDING, attempts=0, run_at=now, last_error=None)
            self._db.jobs[job_id] = job
            return job

    async def counts(self) -> dict[JobStatus, int]:
        result = dict.fromkeys(JobStatus, 0)
        for job in self._db.jobs.values():
            result[job.status] += 1
        return result

    async def backlog(self, now: datetime) -> tuple[KindBacklog, ...]:
        kinds: dict[str, KindBacklog] = {}
        for job in self._db.jobs.values():
            b = kinds.get(job.kind, KindBacklog(job.kind))
            due = job.status == JobStatus.PENDING and job.run_at <= now
            oldest = min(filter(None, [b.oldest_due, job.run_at if due else None]), default=None)
            kinds[job.kind] = KindBacklog(
                job.kind,
                b.queued + (job.status in (JobStatus.PENDING, JobStatus.RUNNING)),
                oldest,
                b.dead + (job.status == JobStatus.DEAD),
            )
        return tuple(sorted(kinds.values(), key=lambda b: b.kind))

    async def oldest(self, status: JobStatus) -> Job | None:
        found = [j for j in self._db.jobs.values() if j.status == status]
        return min(found, key=lambda j: (j.run_at, j.seq), default=None)
