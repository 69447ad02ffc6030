"""SQLAlchemy job outbox and queue (contract: ``wa_agents.ports.jobs``).

A claim is one ``UPDATE … WHERE seq = (SELECT … LIMIT 1) RETURNING``: on PostgreSQL the
inner select takes ``FOR UPDATE SKIP LOCKED`` so workers never wait on each other; on SQLite
every transaction starts with ``BEGIN IMMEDIATE`` (see ``database``), which serialises claims
across processes. A job whose lease ran out is due again; jobs sharing a key wait for the
oldest unfinished one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from wa_agents.adapters.sqlalchemy.base import Repository, escape_like
from wa_agents.adapters.sqlalchemy.convert import job_values, jobs, to_job
from wa_agents.adapters.sqlalchemy.database import Database
from wa_agents.adapters.sqlalchemy.types import UtcDateTime
from wa_agents.domain.model.errors import InvalidTransition, LeaseLost, NotFound
from wa_agents.domain.model.job import Job, JobLease, JobStatus, KindBacklog
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.jobs import JobOutbox, JobQueue

j = jobs.c
INSERT_JOB = insert(jobs)
UNFINISHED = (JobStatus.PENDING.value, JobStatus.RUNNING.value)
# Settling a job is fenced by its lease: only the worker holding it may (prebuilt, bound).
_HELD = and_(
    j.id == bindparam("job_id"),
    j.status == JobStatus.RUNNING.value,
    j.worker_id == bindparam("holder"),
)
COMPLETE_JOB = (
    update(jobs).where(_HELD).values(status=JobStatus.DONE.value, lease_until=None, worker_id=None)
)
_WHEN = bindparam("b_when", type_=UtcDateTime())  # (an UPDATE's binds must not be column names)
COALESCE_JOB = (  # into the unclaimed pending job of a kind and key, its run_at the later one
    update(jobs)
    .where(
        j.kind == bindparam("b_kind"),
        j.key == bindparam("b_key"),
        j.status == JobStatus.PENDING.value,
        j.attempts == 0,
    )
    .values(run_at=case((j.run_at < _WHEN, _WHEN), else_=j.run_at))
    .returning(*jobs.c)
)
EXTEND_LEASE = update(jobs).where(_HELD).values(lease_until=bindparam("until", type_=UtcDateTime()))


def _bound(name: str) -> Any:
    """The bind for a job column's value in an INSERT … SELECT (``b_`` + its name, its type)."""
    return bindparam(f"b_{name}", type_=jobs.c[name].type)


def _bound_values(values: dict[str, Any]) -> dict[str, Any]:
    return {f"b_{name}": value for name, value in values.items()}


def _insert_leased() -> Any:
    """INSERT … SELECT of a job that is its worker's (RUNNING, leased) only when no other job
    of its kind and key is unfinished, and PENDING otherwise: a lease never overtakes an
    earlier job like it. One statement; ``RETURNING`` says which it became."""
    others = jobs.alias("others")
    free = ~exists().where(
        others.c.key == bindparam("b_key"),
        others.c.kind == bindparam("b_kind"),
        others.c.status.in_(UNFINISHED),
    )
    plain = ("id", "kind", "payload", "key", "max_attempts", "run_at", "last_error", "created_at")
    leased = {
        "status": (literal(JobStatus.RUNNING.value), literal(JobStatus.PENDING.value)),
        "attempts": (literal(1), literal(0)),
        "lease_until": (_bound("lease_until"), null()),
        "worker_id": (_bound("worker_id"), null()),
    }
    chosen = [
        case((free, held), else_=waiting).label(name) for name, (held, waiting) in leased.items()
    ]
    rows = select(*[_bound(name).label(name) for name in plain], *chosen)
    return (
        insert(jobs)
        .from_select([*plain, *leased], rows)
        .returning(j.status, j.attempts, j.lease_until, j.worker_id)
    )


INSERT_LEASED = _insert_leased()


def _coalesce_or_insert() -> Any:
    """PostgreSQL: ``COALESCE_JOB`` and, when it merged into nothing, the insert, in one
    statement (a data-modifying CTE): a coalescing enqueue costs one round trip either way.
    SQLite has no UPDATE in a CTE and runs the two statements."""
    merged = COALESCE_JOB.cte("merged")
    names = [column.name for column in jobs.c if column.name != "seq"]
    fresh = select(*[_bound(name).label(name) for name in names]).where(
        ~exists(select(merged.c.seq))
    )
    added = insert(jobs).from_select(names, fresh).returning(*jobs.c).cte("added")
    return select(merged).union_all(select(added))


COALESCE_OR_INSERT = _coalesce_or_insert()


class SqlAlchemyJobOutbox(Repository, JobOutbox):
    def __init__(self, connection: AsyncConnection, clock: Clock, ids: IdGenerator) -> None:
        super().__init__(connection)
        self._clock, self._ids = clock, ids

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
        merging = coalesce and key is not None and lease is None
        if merging and key is not None and not self._postgresql:  # (PostgreSQL: one statement)
            merged = await self._coalesce(kind, key, when)
            if merged is not None:
                return merged
        job = Job(
            id=self._ids.new_id(),
            kind=kind,
            payload=dict(payload),
            key=key,
            status=JobStatus.PENDING,
            run_at=when,
            created_at=now,
            max_attempts=max_attempts,
        )
        if lease is not None:
            return await self._insert_leased(job, lease)
        if merging and self._postgresql:
            return await self._coalesce_or_insert(job)
        await self._s.execute(INSERT_JOB, job_values(job))  # seq is the database's to assign
        return job

    async def _insert_leased(self, job: Job, lease: JobLease) -> Job:
        values = {**job_values(job), "lease_until": lease.until, "worker_id": lease.worker_id}
        row = (await self._s.execute(INSERT_LEASED, _bound_values(values))).mappings().one()
        return replace(job, **{**row, "status": JobStatus(row["status"])})

    async def complete(self, job: Job) -> None:
        result = await self._s.execute(COMPLETE_JOB, {"job_id": job.id, "holder": job.worker_id})
        if not result.rowcount:
            raise LeaseLost(f"job {job.id} is no longer held by {job.worker_id}")

    @property
    def _postgresql(self) -> bool:
        return self._s.dialect.name == "postgresql"

    async def _coalesce_or_insert(self, job: Job) -> Job:
        params = {**_bound_values(job_values(job)), "b_when": job.run_at}
        rows = (await self._s.execute(COALESCE_OR_INSERT, params)).mappings().all()
        return to_job(rows[0])  # the merged job, or the new one when there was none

    async def _coalesce(self, kind: str, key: str, when: datetime) -> Job | None:
        """Merge into the unclaimed pending job of this kind and key, in one UPDATE."""
        params = {"b_kind": kind, "b_key": key, "b_when": when}
        row = (await self._s.execute(COALESCE_JOB, params)).mappings().first()
        return None if row is None else to_job(row)


class SqlAlchemyJobQueue(JobQueue):
    def __init__(self, database: Database) -> None:
        self._db = database
        self._claims: dict[tuple[str, ...], Any] = {}

    def _claim_statement(self, kinds: frozenset[str]) -> Any:
        """Built once per set of kinds and reused with parameters (``now``, ``lease_until``,
        ``worker_id``): building it on every claim cost more than running it."""
        key = tuple(sorted(kinds))
        if key in self._claims:
            return self._claims[key]
        now = bindparam("now", type_=UtcDateTime())
        earlier = jobs.alias("earlier")
        blocked = exists().where(  # an older unfinished job of the key, or any live one
            earlier.c.key == j.key,
            earlier.c.seq != j.seq,
            or_(
                and_(earlier.c.seq < j.seq, earlier.c.status.in_(UNFINISHED)),
                and_(earlier.c.status == JobStatus.RUNNING.value, earlier.c.lease_until > now),
            ),
        )
        due = or_(
            and_(j.status == JobStatus.PENDING.value, j.run_at <= now),
            and_(j.status == JobStatus.RUNNING.value, j.lease_until <= now),
        )
        candidate = (
            select(j.seq)
            .where(j.kind.in_(key), due, or_(j.key.is_(None), ~blocked))
            .order_by(j.run_at, j.seq)
            .limit(1)
        )
        if self._db.dialect == "postgresql":
            candidate = candidate.with_for_update(skip_locked=True)
        self._claims[key] = (
            update(jobs)
            .where(j.seq == candidate.scalar_subquery())
            .values(
                status=JobStatus.RUNNING.value,
                attempts=j.attempts + 1,
                lease_until=bindparam("lease_until", type_=UtcDateTime()),
                worker_id=bindparam("worker_id"),
            )
            .returning(*jobs.c)
        )
        return self._claims[key]

    async def claim(
        self, kinds: frozenset[str], *, worker_id: str, lease: timedelta, now: datetime
    ) -> Job | None:
        params = {"now": now, "lease_until": now + lease, "worker_id": worker_id}
        async with self._db.begin() as session:
            result = await session.execute(self._claim_statement(kinds), params)
            row = result.mappings().first()
        return None if row is None else to_job(row)

    async def _settle(self, job_id: str, worker_id: str, **values: Any) -> bool:
        statement = (
            update(jobs)
            .where(j.id == job_id, j.status == JobStatus.RUNNING.value, j.worker_id == worker_id)
            .values(lease_until=None, worker_id=None, **values)
        )
        async with self._db.begin() as session:
            return bool((await session.execute(statement)).rowcount)

    async def complete(self, job_id: str, *, worker_id: str) -> bool:
        async with self._db.begin() as connection:
            result = await connection.execute(COMPLETE_JOB, {"job_id": job_id, "holder": worker_id})
            return bool(result.rowcount)

    async def fail(
        self, job_id: str, *, worker_id: str, error: str, retry_at: datetime | None
    ) -> bool:
        if retry_at is None:
            return await self._settle(
                job_id, worker_id, status=JobStatus.DEAD.value, last_error=error
            )
        return await self._settle(
            job_id, worker_id, status=JobStatus.PENDING.value, run_at=retry_at, last_error=error
        )

    async def release(self, job_id: str, *, worker_id: str, run_at: datetime | None = None) -> bool:
        values: dict[str, Any] = {"status": JobStatus.PENDING.value, "attempts": j.attempts - 1}
        if run_at is not None:
            values["run_at"] = run_at
        return await self._settle(job_id, worker_id, **values)

    async def extend(self, job_id: str, *, worker_id: str, lease_until: datetime) -> bool:
        params = {"job_id": job_id, "holder": worker_id, "until": lease_until}
        async with self._db.begin() as connection:
            return bool((await connection.execute(EXTEND_LEASE, params)).rowcount)

    async def wake(self, key_prefix: str, *, now: datetime, kind: str | None = None) -> int:
        pattern = escape_like(key_prefix) + "%"
        statement = (
            update(jobs)
            .where(
                j.status == JobStatus.PENDING.value,
                j.key.like(pattern, escape="\\"),
                j.run_at > now,
                j.kind == kind if kind is not None else true(),
            )
            .values(run_at=now)
        )
        async with self._db.begin() as connection:
            return int((await connection.execute(statement)).rowcount)

    async def get(self, job_id: str) -> Job:
        async with self._db.connect() as session:
            row = (await session.execute(select(jobs).where(j.id == job_id))).mappings().first()
        if row is None:
            raise NotFound("job", job_id)
        return to_job(row)

    async def list(self, status: JobStatus | None, page: PageRequest) -> Page[Job]:
        query = select(jobs) if status is None else select(jobs).where(j.status == status.value)
        async with self._db.connect() as session:
            return await Repository(session)._page(query, to_job, page, j.seq)

    async def retry(self, job_id: str, *, now: datetime) -> Job:
        job = await self.get(job_id)
        if job.status != JobStatus.DEAD:
            raise InvalidTransition(f"job {job_id} is {job.status}, only dead jobs are retried")
        statement = (
            update(jobs)
            .where(j.id == job_id, j.status == JobStatus.DEAD.value)
            .values(status=JobStatus.PENDING.value, attempts=0, run_at=now, last_error=None)
            .returning(*jobs.c)
        )
        async with self._db.begin() as session:
            row = (await session.execute(statement)).mappings().first()
        if row is None:
            raise InvalidTransition(f"job {job_id} changed while retrying; try again")
        return to_job(row)

    async def counts(self) -> dict[JobStatus, int]:
        async with self._db.connect() as session:
            rows = await session.execute(select(j.status, func.count()).group_by(j.status))
            found = {JobStatus(status): int(n) for status, n in rows.all()}
        return {status: found.get(status, 0) for status in JobStatus}

    async def backlog(self, now: datetime) -> tuple[KindBacklog, ...]:
        pending = j.status == JobStatus.PENDING.value
        query = select(
            j.kind,
            func.count().filter(j.status.in_(UNFINISHED)),
            func.min(case((and_(pending, j.run_at <= now), j.run_at))),
            func.count().filter(j.status == JobStatus.DEAD.value),
        ).group_by(j.kind)
        async with self._db.connect() as session:
            rows = (await session.execute(query)).all()
        return tuple(
            KindBacklog(kind, int(queued), _aware(oldest), int(dead))
            for kind, queued, oldest, dead in sorted(rows)
        )

    async def oldest(self, status: JobStatus) -> Job | None:
        query = select(jobs).where(j.status == status.value).order_by(j.run_at, j.seq).limit(1)
        async with self._db.connect() as session:
            row = (await session.execute(query)).mappings().first()
        return None if row is None else to_job(row)


def _aware(value: datetime | str | None) -> datetime | None:
    """MIN() over a UTC column loses the column type on SQLite: read it back as UTC."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
