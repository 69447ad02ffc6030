"""The job bell: idle workers wake when a job is committed or made due, not by polling."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from wa_agents.adapters.memory import (
    ManualClock,
    MemoryJobQueue,
    MemoryUnitOfWorkFactory,
    SequentialIdGenerator,
    SystemClock,
)
from wa_agents.domain.services.job_bell import BelledJobQueue, JobBell, ring_on_commit

LEASE = timedelta(seconds=20)


def setup(clock: ManualClock | SystemClock):  # type: ignore[no-untyped-def]
    factory = MemoryUnitOfWorkFactory(clock, SequentialIdGenerator())
    bell = JobBell(clock)
    return (
        bell,
        ring_on_commit(factory, bell),
        BelledJobQueue(MemoryJobQueue(factory.db), bell, clock),
    )


async def test_a_committed_job_wakes_a_waiting_worker_at_once() -> None:
    bell, uow, _queue = setup(ManualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    waiting = asyncio.create_task(bell.wait(30))
    await asyncio.sleep(0)
    async with uow() as u:
        await u.jobs.enqueue("turn", {})
        await asyncio.sleep(0.01)
        assert not waiting.done()  # not before the commit: the job is not visible yet
        await u.commit()
    assert await asyncio.wait_for(waiting, 1) is True


async def test_a_rolled_back_job_rings_nothing() -> None:
    bell, uow, _queue = setup(ManualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    async with uow() as u:
        await u.jobs.enqueue("turn", {})
    assert await bell.wait(0.05) is False


async def test_a_ring_while_no_worker_waits_is_kept_for_the_next_one_up_to_a_limit() -> None:
    bell = JobBell(ManualClock(datetime(2026, 1, 1, tzinfo=UTC)), keep=2)
    for _ in range(5):
        bell.ring()
    assert [await bell.wait(0.01) for _ in range(3)] == [True, True, False]


async def test_one_ring_wakes_one_worker_of_many() -> None:
    bell = JobBell(ManualClock(datetime(2026, 1, 1, tzinfo=UTC)))
    waiters = [asyncio.create_task(bell.wait(0.3)) for _ in range(3)]
    await asyncio.sleep(0)
    bell.ring()
    assert sorted(await asyncio.gather(*waiters)) == [False, False, True]


async def test_a_job_due_later_rings_when_it_is_due() -> None:
    clock = SystemClock()
    bell, uow, _queue = setup(clock)
    async with uow() as u:
        await u.jobs.enqueue("turn", {}, run_at=clock.now() + timedelta(seconds=0.2))
        await u.commit()
    started = asyncio.get_running_loop().time()
    assert await bell.wait(0.1) is False  # not due yet
    assert await bell.wait(2) is True
    assert asyncio.get_running_loop().time() - started >= 0.19


async def test_a_retry_a_release_and_a_wake_ring_the_bell() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    bell, uow, queue = setup(clock)
    async with uow() as u:
        for n in range(3):
            await u.jobs.enqueue("send", {}, key=f"s/{n}")
        await u.commit()
    for _ in range(3):  # the commit's rings
        assert await bell.wait(0.01)
    job = await queue.claim(frozenset({"send"}), worker_id="w", lease=LEASE, now=clock.now())
    assert job is not None
    assert await queue.release(job.id, worker_id="w")
    assert await bell.wait(0.01)
    job = await queue.claim(frozenset({"send"}), worker_id="w", lease=LEASE, now=clock.now())
    assert job is not None
    assert await queue.fail(job.id, worker_id="w", error="x", retry_at=clock.now())
    assert await bell.wait(0.01)
    assert await bell.wait(0.01) is False


async def test_other_processes_hear_of_committed_jobs_through_the_publisher() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    bell, uow, _queue = setup(clock)
    heard: list[list[datetime]] = []
    bell.connect(lambda due: heard.append(list(due)))
    async with uow() as u:
        await u.jobs.enqueue("turn", {})
        await u.jobs.enqueue("index", {}, run_at=clock.now() + timedelta(seconds=5))
        await u.commit()
    assert heard == [[clock.now(), clock.now() + timedelta(seconds=5)]]


async def test_idle_workers_do_not_poll_and_still_answer_at_once(platform, gateway) -> None:  # type: ignore[no-untyped-def]
    from wa_agents.domain.services.inbound import InboundMessage
    from wa_agents.entrypoints.worker import WorkerPool

    agent = await platform.agents.create(name="A", model="m", system_prompt="Help.")
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    claims = 0
    claim = platform.belled_queue.claim

    async def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal claims
        claims += 1
        return await claim(*args, **kwargs)

    platform.belled_queue.claim = counted  # type: ignore[method-assign]
    pool = WorkerPool(platform, 4, idle_seconds=30)
    pool.start()
    try:
        await asyncio.sleep(0.5)
        assert claims == 4  # one look each, then asleep: no polling
        await platform.inbound.accept(
            InboundMessage(
                session_id="shop", from_jid="1@s.whatsapp.net", content="hi", wa_message_id="w1"
            )
        )
        for _ in range(100):
            if gateway.sent:
                break
            await asyncio.sleep(0.02)
        assert gateway.sent  # answered within 2 s although the workers' look is 30 s away
    finally:
        await pool.stop()
