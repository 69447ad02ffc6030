"""The job runner's settling rules."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from wa_agents.adapters.memory import (
    ManualClock,
    MemoryJobQueue,
    MemoryUnitOfWorkFactory,
    SequentialIdGenerator,
)
from wa_agents.domain.model.errors import SessionNotConnected
from wa_agents.domain.model.job import Job, JobStatus, RetryPolicy
from wa_agents.domain.services.job_runner import JobRunner, RunnerSettings


async def make(clock: ManualClock, handler, max_attempts: int = 3):  # type: ignore[no-untyped-def]
    uow = MemoryUnitOfWorkFactory(clock, SequentialIdGenerator())
    queue = MemoryJobQueue(uow.db)
    async with uow() as u:
        job = await u.jobs.enqueue("work", {}, max_attempts=max_attempts)
        await u.commit()
    dead: list[str] = []

    async def on_dead(j: Job, error: str) -> None:
        dead.append(error)

    runner = JobRunner(
        queue,
        {"work": handler},
        clock,
        RunnerSettings(retry=RetryPolicy(cap=timedelta(seconds=10))),
        on_dead,
    )
    return queue, job, runner, dead


async def test_failures_back_off_then_die(clock: ManualClock) -> None:
    async def boom(job: Job) -> None:
        raise ValueError("bad payload")

    queue, job, runner, dead = await make(clock, boom)
    for _ in range(3):
        assert await runner.run_once() is not None
        assert await runner.run_once() is None  # backing off: not due yet
        clock.advance(10)
    stored = await queue.get(job.id)
    assert stored.status == JobStatus.DEAD and stored.attempts == 3
    assert dead == ["ValueError: bad payload"]


async def test_a_disconnected_session_waits_without_using_attempts(clock: ManualClock) -> None:
    async def offline(job: Job) -> None:
        raise SessionNotConnected("offline")

    queue, job, runner, dead = await make(clock, offline, max_attempts=1)
    for _ in range(5):
        await runner.run_once()
        clock.advance(20)
    stored = await queue.get(job.id)
    assert stored.status == JobStatus.PENDING and stored.attempts == 0 and dead == []


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(seconds=60))
    delays = [policy.delay(n).total_seconds() for n in range(1, 20)]
    assert all(0.5 <= d <= 60 for d in delays)
    assert max(delays[10:]) <= 60 and min(delays[10:]) >= 30


async def test_a_long_job_keeps_its_lease_with_a_heartbeat(clock: ManualClock) -> None:
    uow = MemoryUnitOfWorkFactory(clock, SequentialIdGenerator())
    queue = MemoryJobQueue(uow.db)
    async with uow() as u:
        await u.jobs.enqueue("work", {})
        await u.commit()
    stolen: list[object] = []

    async def slow(job: Job) -> None:
        clock.advance(1)  # time passes beyond the 0.2 s lease...
        await asyncio.sleep(0.25)  # ...while the heartbeat (every 0.05 s) keeps renewing it
        stolen.append(
            await queue.claim(
                frozenset({"work"}), worker_id="thief", lease=timedelta(seconds=1), now=clock.now()
            )
        )

    settings = RunnerSettings(worker_id="owner", lease=timedelta(seconds=0.2))
    runner = JobRunner(queue, {"work": slow}, clock, settings)
    ran = await runner.run_once()
    assert stolen == [None]
    assert ran is not None and (await queue.get(ran.id)).status == JobStatus.DONE


async def test_a_cancelled_worker_hands_its_job_back_at_once(clock: ManualClock) -> None:
    uow = MemoryUnitOfWorkFactory(clock, SequentialIdGenerator())
    queue = MemoryJobQueue(uow.db)
    async with uow() as u:
        job = await u.jobs.enqueue("work", {})
        await u.commit()
    started = asyncio.Event()

    async def forever(_job: Job) -> None:
        started.set()
        await asyncio.sleep(3600)

    runner = JobRunner(queue, {"work": forever}, clock, RunnerSettings(worker_id="w"))
    task = asyncio.create_task(runner.run_once())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    back = await queue.get(job.id)
    assert (back.status, back.attempts, back.worker_id) == (JobStatus.PENDING, 0, None)
    assert await queue.claim(
        frozenset({"work"}), worker_id="next", lease=timedelta(seconds=5), now=clock.now()
    )


async def test_a_run_that_lost_its_lease_is_stopped_before_it_writes(clock: ManualClock) -> None:
    uow = MemoryUnitOfWorkFactory(clock, SequentialIdGenerator())
    queue = MemoryJobQueue(uow.db)
    async with uow() as u:
        job = await u.jobs.enqueue("work", {})
        await u.commit()
    wrote: list[str] = []

    async def stalled(_job: Job) -> None:
        clock.advance(5)  # the lease (1 s) runs out while this run is stuck...
        thief = await queue.claim(
            frozenset({"work"}), worker_id="thief", lease=timedelta(seconds=60), now=clock.now()
        )
        assert thief is not None
        await asyncio.sleep(0.5)  # ...and the heartbeat (every 0.25 s) finds the lease gone
        wrote.append("stale write")

    runner = JobRunner(
        queue,
        {"work": stalled},
        clock,
        RunnerSettings(worker_id="slow", lease=timedelta(seconds=1)),
    )
    assert await runner.run_once() is not None
    assert wrote == []
    assert (await queue.get(job.id)).worker_id == "thief"  # left alone for its new owner
