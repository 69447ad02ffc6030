"""GroupCommit over the memory unit of work: shared transactions, isolation of a bad item,
the window, the caller's context, and shut-down."""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import Counter

import pytest

from wa_agents.adapters.memory import ManualClock, MemoryUnitOfWorkFactory, TimeOrderedIdGenerator
from wa_agents.domain.model.errors import ShuttingDown, ValidationError
from wa_agents.domain.services.group_commit import GroupCommit, GroupCommitSettings
from wa_agents.ports.unit_of_work import UnitOfWork

caller = contextvars.ContextVar("caller", default="nobody")


@pytest.fixture
def factory() -> MemoryUnitOfWorkFactory:
    return MemoryUnitOfWorkFactory(ManualClock(), TimeOrderedIdGenerator())


def grouped(factory: MemoryUnitOfWorkFactory, batch: int = 8, window_ms: float = 0) -> GroupCommit:
    return GroupCommit(factory, GroupCommitSettings(max_batch=batch, window_ms=window_ms))


class Recorder:
    """Works that record a delivery id, noting which unit of work ran them."""

    def __init__(self) -> None:
        self.units: list[int] = []
        self._alive: list[UnitOfWork] = []  # held, so no two units of work share an id()

    def work(self, name: str, *, fail: bool = False):  # type: ignore[no-untyped-def]
        async def run(uow: UnitOfWork) -> str:
            self._alive.append(uow)
            self.units.append(id(uow))
            await uow.deliveries.record(name, ManualClock().now())
            await asyncio.sleep(0)  # a database round trip: others may arrive meanwhile
            if fail:
                raise ValidationError(f"{name} is poison")
            return f"{name} done by {caller.get()}"

        return run


async def as_caller(commits: GroupCommit, name: str, work):  # type: ignore[no-untyped-def]
    caller.set(name)
    return await commits.run(work)


async def test_concurrent_works_share_fewer_transactions_and_each_gets_its_result(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    commits, recorder = grouped(factory), Recorder()
    names = [f"evt-{n}" for n in range(20)]
    results = await asyncio.gather(
        *(as_caller(commits, name, recorder.work(name)) for name in names)
    )
    assert results == [f"{name} done by {name}" for name in names]  # each in its own context
    assert set(factory.db.deliveries) == set(names)
    assert factory.db.commits == commits.transactions < len(names)
    assert max(Counter(recorder.units).values()) <= 8  # the batch is bounded


async def test_a_lone_work_does_not_wait_for_the_window(factory: MemoryUnitOfWorkFactory) -> None:
    commits, recorder = grouped(factory, window_ms=500), Recorder()
    started = time.monotonic()
    await commits.run(recorder.work("alone"))
    assert time.monotonic() - started < 0.25
    assert factory.db.commits == 1


async def test_one_caller_after_another_in_the_same_task_is_served(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    """The memory unit of work never yields: the second ``run`` comes right after the first
    one's collector finished, before the loop has run anything else."""
    commits = grouped(factory, window_ms=5)

    async def read(uow: UnitOfWork) -> bool:  # no await that yields
        return await uow.deliveries.seen("e")

    async with asyncio.timeout(2):
        for _ in range(3):
            assert await commits.run(read) is False
    assert factory.db.commits == 3


async def test_a_busy_collector_waits_for_the_window_and_fills_the_batch(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    commits, recorder = grouped(factory, batch=4, window_ms=200), Recorder()
    await commits.run(recorder.work("first"))  # now the collector counts as busy

    async def later(name: str, delay: float) -> str:
        await asyncio.sleep(delay)
        return await commits.run(recorder.work(name))

    started = time.monotonic()
    await asyncio.gather(*(later(f"late-{n}", n * 0.02) for n in range(4)))
    assert time.monotonic() - started < 0.19  # full before the window ran out
    assert factory.db.commits == 2  # the three late ones joined the first late one
    assert len(set(recorder.units[1:])) == 1


async def test_a_poison_work_fails_alone_and_its_neighbours_commit(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    commits, recorder = grouped(factory), Recorder()
    works = [recorder.work(f"ok-{n}") for n in range(3)] + [recorder.work("bad", fail=True)]
    results = await asyncio.gather(*(commits.run(w) for w in works), return_exceptions=True)
    assert isinstance(results[3], ValidationError) and "bad is poison" in str(results[3])
    assert [r for r in results[:3]] == [f"ok-{n} done by nobody" for n in range(3)]
    assert set(factory.db.deliveries) == {"ok-0", "ok-1", "ok-2"}  # the poison's write undone


async def test_a_work_failing_on_its_neighbours_write_fails_alone_after_the_retry(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    """The second claim of one key fails in the batch (as a unique constraint would); the
    batch is retried item by item, and only the work that fails alone gets the error."""
    commits = grouped(factory)
    unique = "the-one-id"

    async def claim(uow: UnitOfWork) -> bool:
        if not await uow.deliveries.record(unique, ManualClock().now()):
            raise ValidationError("already claimed")
        return True

    async def plain(uow: UnitOfWork) -> bool:
        return await uow.deliveries.record("plain", ManualClock().now())

    results = await asyncio.gather(
        commits.run(claim), commits.run(plain), commits.run(claim), return_exceptions=True
    )
    assert results[0] is True and results[1] is True
    assert isinstance(results[2], ValidationError)
    assert set(factory.db.deliveries) == {unique, "plain"}


async def test_batch_size_one_is_one_transaction_per_work(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    commits, recorder = grouped(factory, batch=1), Recorder()
    await asyncio.gather(*(commits.run(recorder.work(f"e{n}")) for n in range(5)))
    assert factory.db.commits == commits.transactions == 5


async def test_close_flushes_what_was_accepted_and_refuses_the_rest(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    commits, recorder = grouped(factory, batch=2, window_ms=50), Recorder()
    await commits.run(recorder.work("warm"))
    waiting = [asyncio.create_task(commits.run(recorder.work(f"w{n}"))) for n in range(5)]
    await asyncio.sleep(0)  # all five are queued
    await commits.close()
    assert all(task.done() for task in waiting)
    assert [t.result() for t in waiting] == [f"w{n} done by nobody" for n in range(5)]
    assert {f"w{n}" for n in range(5)} <= set(factory.db.deliveries)
    with pytest.raises(ShuttingDown):
        await commits.run(recorder.work("too late"))
    assert "too late" not in factory.db.deliveries


async def test_a_caller_that_went_away_before_its_batch_is_not_run(
    factory: MemoryUnitOfWorkFactory,
) -> None:
    commits, recorder = grouped(factory, batch=4, window_ms=100), Recorder()
    await commits.run(recorder.work("warm"))
    gone = asyncio.create_task(commits.run(recorder.work("gone")))
    stays = asyncio.create_task(commits.run(recorder.work("stays")))
    await asyncio.sleep(0.01)
    gone.cancel()
    assert await stays == "stays done by nobody"
    assert "gone" not in factory.db.deliveries


class OpenUnits:
    """A unit of work of our own that only notes which are open at once and what they ran."""

    def __init__(self) -> None:
        self.open: list[Unit] = []
        self.most_at_once = 0

    def __call__(self) -> Unit:
        return Unit(self)


class Unit:
    def __init__(self, units: OpenUnits) -> None:
        self.units, self.keys = units, set[str]()

    async def __aenter__(self) -> Unit:
        self.units.open.append(self)
        self.units.most_at_once = max(self.units.most_at_once, len(self.units.open))
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.units.open.remove(self)

    async def commit(self) -> None:
        await asyncio.sleep(0.002)  # the commit's round trip


async def test_batches_run_side_by_side_but_never_share_a_key() -> None:
    units = OpenUnits()
    commits = GroupCommit(units, GroupCommitSettings(max_batch=3, in_flight=2))  # type: ignore[arg-type]

    def work(key: str):  # type: ignore[no-untyped-def]
        async def run(uow: Unit) -> str:
            others = [u for u in units.open if u is not uow]
            assert not any(key in u.keys for u in others), f"{key} in two transactions"
            uow.keys.add(key)
            await asyncio.sleep(0.003)
            return key

        return run

    keys = [f"conversation-{n % 3}" for n in range(18)] + [f"single-{n}" for n in range(6)]
    tasks = []
    for n, key in enumerate(keys):
        tasks.append(asyncio.create_task(commits.run(work(key), key=key)))
        if n % 4 == 3:
            await asyncio.sleep(0.001)
    assert await asyncio.gather(*tasks) == keys
    assert units.most_at_once == 2
    await commits.close()
    assert not units.open
