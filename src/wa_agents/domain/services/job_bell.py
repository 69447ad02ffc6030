"""JobBell: idle workers sleep until a job may be due, instead of polling the queue.

Every way a job becomes due rings the bell once per job, at the time it is due:

* a unit of work that enqueued jobs rings after its commit (``ring_on_commit`` wraps any
  ``UnitOfWorkFactory``: memory, SQLAlchemy or a host's own), never before, so a worker
  woken early cannot miss a job that is not committed yet;
* the queue's ``fail`` (a retry), ``release`` (waiting for a number), ``wake`` and ``retry``
  ring through ``BelledJobQueue``;
* other processes ring it through a ``publish`` hook and a listener (PostgreSQL
  ``LISTEN``/``NOTIFY``, see ``adapters/sqlalchemy/job_signals``).

A ring wakes one waiting worker, or is kept (up to ``keep``) for the next worker that comes to
wait, so a ring between a worker's empty claim and its wait is not lost. Workers still look at
the queue after ``timeout`` without a ring: a lease that expired in a crashed process, or a
ring lost with a dropped connection, costs at most that long.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, cast

from wa_agents.domain.model.job import Job, JobStatus, KindBacklog
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.clock import Clock
from wa_agents.ports.jobs import JobOutbox, JobQueue
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

Publisher = Callable[[Sequence[datetime]], None]
LONGEST_TIMER = 3600.0  # a job due later is found by a worker's periodic look


class JobBell:
    def __init__(self, clock: Clock, *, keep: int = 4) -> None:
        self._clock, self._keep = clock, keep
        self._kept = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._publish: Publisher | None = None

    def connect(self, publish: Publisher | None) -> None:
        """Also tell other processes about jobs this one enqueues (None: stop telling)."""
        self._publish = publish

    def enqueued(self, due: Sequence[datetime]) -> None:
        """Jobs were committed by this process: ring here, and for the other processes."""
        for at in due:
            self.ring(at)
        if due and self._publish is not None:
            self._publish(due)

    def ring(self, at: datetime | None = None) -> None:
        """A job is (or will be, at ``at``) due: wake one idle worker then."""
        delay = 0.0 if at is None else (at - self._clock.now()).total_seconds()
        if delay > 0.001:
            with contextlib.suppress(RuntimeError):  # no running loop: a look finds it
                asyncio.get_running_loop().call_later(min(delay, LONGEST_TIMER), self.ring)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._kept = min(self._kept + 1, self._keep)

    async def wait(self, seconds: float) -> bool:
        """Until a ring (True) or ``seconds`` without one (False)."""
        if self._kept:
            self._kept -= 1
            return True
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            return False
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
        return True


class _RecordingOutbox:
    """The unit of work's outbox, noting when each job it enqueues is due."""

    def __init__(self, inner: JobOutbox, due: list[datetime]) -> None:
        self._inner, self._due = inner, due

    async def enqueue(self, kind: str, payload: dict[str, Any], **options: Any) -> Job:
        job = await self._inner.enqueue(kind, payload, **options)
        if job.status == JobStatus.PENDING:  # a leased job is its worker's to run: no ring
            self._due.append(job.run_at)
        return job

    async def complete(self, job: Job) -> None:
        await self._inner.complete(job)


class _BelledUnitOfWork:
    """Delegates everything to the wrapped unit of work; rings after a commit with jobs."""

    def __init__(self, inner: UnitOfWork, bell: JobBell) -> None:
        self._inner, self._bell = inner, bell
        self._due: list[datetime] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def __aenter__(self) -> UnitOfWork:
        self._inner = await self._inner.__aenter__()
        self.jobs = _RecordingOutbox(self._inner.jobs, self._due)
        return cast(UnitOfWork, self)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._due.clear()
        await self._inner.__aexit__(exc_type, exc, tb)

    async def commit(self) -> None:
        await self._inner.commit()
        due, self._due[:] = list(self._due), []
        self._bell.enqueued(due)

    async def rollback(self) -> None:
        self._due.clear()
        await self._inner.rollback()


def ring_on_commit(factory: UnitOfWorkFactory, bell: JobBell) -> UnitOfWorkFactory:
    """``factory``'s units of work, ringing ``bell`` for the jobs each one commits."""

    def belled() -> UnitOfWork:
        return cast(UnitOfWork, _BelledUnitOfWork(factory(), bell))

    return belled


class BelledJobQueue(JobQueue):
    """A ``JobQueue`` that rings the bell whenever it makes a job due again."""

    def __init__(self, inner: JobQueue, bell: JobBell, clock: Clock) -> None:
        self._inner, self._bell, self._clock = inner, bell, clock

    def __getattr__(self, name: str) -> Any:  # what a host's queue offers beyond the port
        return getattr(self._inner, name)

    async def claim(
        self, kinds: frozenset[str], *, worker_id: str, lease: timedelta, now: datetime
    ) -> Job | None:
        return await self._inner.claim(kinds, worker_id=worker_id, lease=lease, now=now)

    async def complete(self, job_id: str, *, worker_id: str) -> bool:
        return await self._inner.complete(job_id, worker_id=worker_id)

    async def fail(
        self, job_id: str, *, worker_id: str, error: str, retry_at: datetime | None
    ) -> bool:
        settled = await self._inner.fail(
            job_id, worker_id=worker_id, error=error, retry_at=retry_at
        )
        if settled and retry_at is not None:
            self._bell.ring(retry_at)
        return settled

    async def release(self, job_id: str, *, worker_id: str, run_at: datetime | None = None) -> bool:
        released = await self._inner.release(job_id, worker_id=worker_id, run_at=run_at)
        if released:
            self._bell.ring(run_at)
        return released

    async def extend(self, job_id: str, *, worker_id: str, lease_until: datetime) -> bool:
        return await self._inner.extend(job_id, worker_id=worker_id, lease_until=lease_until)

    async def wake(self, key_prefix: str, *, now: datetime, kind: str | None = None) -> int:
        woken = await self._inner.wake(key_prefix, now=now, kind=kind)
        for _ in range(woken):
            self._bell.ring()
        return woken

    async def get(self, job_id: str) -> Job:
        return await self._inner.get(job_id)

    async def list(self, status: JobStatus | None, page: PageRequest) -> Page[Job]:
        return await self._inner.list(status, page)

    async def retry(self, job_id: str, *, now: datetime) -> Job:
        job = await self._inner.retry(job_id, now=now)
        self._bell.ring(job.run_at)
        return job

    async def counts(self) -> dict[JobStatus, int]:
        return await self._inner.counts()

    async def oldest(self, status: JobStatus) -> Job | None:
        return await self._inner.oldest(status)

    async def backlog(self, now: datetime) -> tuple[KindBacklog, ...]:
        return await self._inner.backlog(now)
