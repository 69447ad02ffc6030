"""Contract of ``JobOutbox`` and ``JobQueue``: nothing claimed twice, nothing lost, in order.

Fixture: ``backend`` -> ``StorageBackend`` (its ``uow`` and ``queue`` share one store).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from wa_agents.domain.model.errors import InvalidTransition, LeaseLost, NotFound
from wa_agents.domain.model.job import Job, JobLease, JobStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.testing.factories import at
from wa_agents.testing.harness import StorageBackend

KINDS = frozenset({"turn", "send"})
LEASE = timedelta(seconds=30)


async def enqueue(backend: StorageBackend, kind: str = "turn", **kwargs: Any) -> Job:
    kwargs.setdefault("run_at", at(0))
    payload = kwargs.pop("payload", {"n": 1})
    async with backend.uow() as uow:
        job = await uow.jobs.enqueue(kind, payload, **kwargs)
        await uow.commit()
    return job


async def claim(backend: StorageBackend, worker: str = "w1", now: float = 1) -> Job | None:
    return await backend.queue.claim(KINDS, worker_id=worker, lease=LEASE, now=at(now))


class JobQueueContract:
    async def test_an_enqueued_job_is_claimed_with_its_payload(
        self, backend: StorageBackend
    ) -> None:
        job = await enqueue(backend, payload={"session_id": "s1", "nested": {"a": [1, 2]}}, key="k")
        claimed = await claim(backend)
        assert claimed is not None and claimed.id == job.id
        assert claimed.payload == {"session_id": "s1", "nested": {"a": [1, 2]}}
        assert (claimed.status, claimed.attempts, claimed.worker_id) == (JobStatus.RUNNING, 1, "w1")
        assert claimed.lease_until == at(1) + LEASE
        assert await claim(backend, "w2") is None

    async def test_a_job_is_not_claimed_before_its_time_or_of_another_kind(
        self, backend: StorageBackend
    ) -> None:
        await enqueue(backend, run_at=at(10))
        await enqueue(backend, kind="index")
        assert await claim(backend, now=9) is None
        assert await claim(backend, now=10) is not None

    async def test_enqueue_without_commit_is_lost(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.jobs.enqueue("turn", {}, run_at=at(0))
        assert await claim(backend) is None

    async def test_jobs_of_one_key_run_one_at_a_time_in_order(
        self, backend: StorageBackend
    ) -> None:
        first = await enqueue(backend, key="conv", run_at=at(0))
        second = await enqueue(backend, key="conv", run_at=at(0))
        other = await enqueue(backend, key="other", run_at=at(0))
        got = [await claim(backend, "a"), await claim(backend, "b"), await claim(backend, "c")]
        assert [j.id if j else None for j in got] == [first.id, other.id, None]
        assert await backend.queue.complete(first.id, worker_id="a")
        after = await claim(backend, "b")
        assert after is not None and after.id == second.id

    async def test_a_later_job_waits_for_an_earlier_one_that_is_not_due(
        self, backend: StorageBackend
    ) -> None:
        await enqueue(backend, key="conv", run_at=at(50))
        await enqueue(backend, key="conv", run_at=at(0))
        assert await claim(backend, now=10) is None

    async def test_an_expired_lease_is_claimed_again(self, backend: StorageBackend) -> None:
        job = await enqueue(backend, key="k")
        await claim(backend, "crashed", now=1)
        assert await claim(backend, "w2", now=2) is None
        again = await claim(backend, "w2", now=1 + LEASE.total_seconds())
        assert again is not None and again.id == job.id and again.attempts == 2
        assert not await backend.queue.complete(job.id, worker_id="crashed")
        assert await backend.queue.complete(job.id, worker_id="w2")
        assert (await backend.queue.get(job.id)).status == JobStatus.DONE

    async def test_a_job_completed_in_a_unit_of_work_ends_with_what_it_wrote(
        self, backend: StorageBackend
    ) -> None:
        job = await enqueue(backend, key="conv")
        claimed = await claim(backend, "w1")
        assert claimed is not None
        async with backend.uow() as uow:  # not committed: neither the result nor the end
            await uow.jobs.enqueue("send", {"n": 2}, key="conv", run_at=at(0))
            await uow.jobs.complete(claimed)
        assert (await backend.queue.get(job.id)).status == JobStatus.RUNNING
        async with backend.uow() as uow:
            follow_up = await uow.jobs.enqueue("send", {"n": 2}, key="conv", run_at=at(0))
            await uow.jobs.complete(claimed)
            await uow.commit()
        done = await backend.queue.get(job.id)
        assert (done.status, done.worker_id, done.lease_until) == (JobStatus.DONE, None, None)
        nxt = await claim(backend, "w2")
        assert nxt is not None and nxt.id == follow_up.id

    async def test_a_worker_that_lost_its_lease_cannot_complete_nor_write(
        self, backend: StorageBackend
    ) -> None:
        job = await enqueue(backend, key="conv")
        stale = await claim(backend, "stalled", now=1)
        assert stale is not None
        taken = await claim(backend, "w2", now=1 + LEASE.total_seconds())
        assert taken is not None and taken.id == job.id
        with pytest.raises(LeaseLost):
            async with backend.uow() as uow:
                await uow.jobs.enqueue("send", {"n": 2}, key="other", run_at=at(0))
                await uow.jobs.complete(stale)
                await uow.commit()
        current = await backend.queue.get(job.id)
        assert (current.status, current.worker_id) == (JobStatus.RUNNING, "w2")
        assert await claim(backend, "w3", now=2 + LEASE.total_seconds()) is None  # no send
        async with backend.uow() as uow:  # a settled job cannot be completed again either
            await uow.jobs.complete(taken)
            await uow.commit()
        with pytest.raises(LeaseLost):
            async with backend.uow() as uow:
                await uow.jobs.complete(taken)

    async def test_a_job_enqueued_with_a_lease_is_its_workers_until_the_lease_runs_out(
        self, backend: StorageBackend
    ) -> None:
        async with backend.uow() as uow:
            held = await uow.jobs.enqueue(
                "send", {"n": 1}, key="conv", run_at=at(0), lease=JobLease("w1", at(1) + LEASE)
            )
            await uow.commit()
        later = await enqueue(backend, key="conv")
        assert (held.status, held.attempts, held.worker_id) == (JobStatus.RUNNING, 1, "w1")
        assert await claim(backend, "w2", now=2) is None  # neither it nor its key's next job
        again = await claim(backend, "w2", now=1 + LEASE.total_seconds())  # its worker died
        assert again is not None and again.id == held.id and again.attempts == 2
        assert not await backend.queue.complete(held.id, worker_id="w1")
        assert await backend.queue.complete(held.id, worker_id="w2")
        nxt = await claim(backend, "w2", now=2 + LEASE.total_seconds())
        assert nxt is not None and nxt.id == later.id

    async def test_a_lease_never_overtakes_an_unfinished_job_of_its_kind_and_key(
        self, backend: StorageBackend
    ) -> None:
        """A worker died holding a conversation's send: a later send of that conversation,
        enqueued with a lease, must wait behind it (else the replies reach WhatsApp out of
        order). A job of another kind (a turn queued meanwhile) does not stop a lease, and
        one of a free key is leased."""
        turn = await enqueue(backend, key="conv")  # a message came in during the turn
        stranded = await enqueue(backend, "send", key="conv", lease=JobLease("w1", at(1)))
        assert stranded.status == JobStatus.RUNNING  # no other send of the key
        assert await claim(backend, "w2", now=0.5) is None  # the turn waits for a live send
        async with backend.uow() as uow:
            queued = await uow.jobs.enqueue(
                "send", {"n": 2}, key="conv", run_at=at(2), lease=JobLease("w2", at(2) + LEASE)
            )
            free = await uow.jobs.enqueue(
                "send", {"n": 3}, key="free", run_at=at(2), lease=JobLease("w2", at(2) + LEASE)
            )
            await uow.commit()
        assert (queued.status, queued.attempts, queued.worker_id) == (JobStatus.PENDING, 0, None)
        assert queued.lease_until is None
        assert (await backend.queue.get(queued.id)).status == JobStatus.PENDING
        assert (free.status, free.worker_id) == (JobStatus.RUNNING, "w2")
        stored = await backend.queue.get(free.id)
        assert (stored.lease_until, stored.payload, stored.attempts) == (at(2) + LEASE, {"n": 3}, 1)
        for expected in (turn, stranded):  # the stranded send's lease ran out: in key order
            taken = await claim(backend, "w3", now=3)
            assert taken is not None and taken.id == expected.id
            assert await claim(backend, "w3", now=3) is None  # the queued send waits
            assert await backend.queue.complete(taken.id, worker_id="w3")
        last = await claim(backend, "w3", now=4)
        assert last is not None and last.id == queued.id

    async def test_fail_with_retry_time_reschedules(self, backend: StorageBackend) -> None:
        job = await enqueue(backend)
        await claim(backend)
        assert await backend.queue.fail(job.id, worker_id="w1", error="boom", retry_at=at(100))
        stored = await backend.queue.get(job.id)
        assert (stored.status, stored.last_error, stored.run_at) == (
            JobStatus.PENDING,
            "boom",
            at(100),
        )
        assert await claim(backend, now=99) is None
        again = await claim(backend, now=100)
        assert again is not None and again.attempts == 2

    async def test_fail_without_retry_is_dead_and_blocks_nothing(
        self, backend: StorageBackend
    ) -> None:
        poison = await enqueue(backend, key="conv")
        after = await enqueue(backend, key="conv")
        await claim(backend)
        assert await backend.queue.fail(poison.id, worker_id="w1", error="poison", retry_at=None)
        assert (await backend.queue.get(poison.id)).status == JobStatus.DEAD
        nxt = await claim(backend)
        assert nxt is not None and nxt.id == after.id

    async def test_only_the_lease_holder_settles(self, backend: StorageBackend) -> None:
        job = await enqueue(backend)
        await claim(backend, "owner")
        assert not await backend.queue.complete(job.id, worker_id="intruder")
        assert not await backend.queue.fail(job.id, worker_id="intruder", error="x", retry_at=None)
        assert not await backend.queue.release(job.id, worker_id="intruder")
        assert (await backend.queue.get(job.id)).status == JobStatus.RUNNING

    async def test_a_heartbeat_extends_only_a_held_lease(self, backend: StorageBackend) -> None:
        job = await enqueue(backend)
        await claim(backend, "owner", now=1)
        assert await backend.queue.extend(job.id, worker_id="owner", lease_until=at(100))
        assert not await backend.queue.extend(job.id, worker_id="intruder", lease_until=at(500))
        assert (await backend.queue.get(job.id)).lease_until == at(100)
        assert await claim(backend, "other", now=99) is None  # the renewed lease still holds
        assert await claim(backend, "other", now=100) is not None
        assert not await backend.queue.extend(job.id, worker_id="owner", lease_until=at(200))

    async def test_wake_makes_held_jobs_of_a_prefix_due_now(self, backend: StorageBackend) -> None:
        held = [await enqueue(backend, key=f"s_1/{n}@x", run_at=at(60)) for n in range(2)]
        other = await enqueue(backend, key="s21/1@x", run_at=at(60))  # "_" is not a wildcard
        assert await backend.queue.wake("s_1/", now=at(5)) == 2
        assert [(await backend.queue.get(j.id)).run_at for j in held] == [at(5), at(5)]
        assert (await backend.queue.get(other.id)).run_at == at(60)
        assert await backend.queue.wake("s_1/", now=at(5)) == 0
        turn = await enqueue(backend, kind="turn", key="s_1/9@x", run_at=at(60))
        assert await backend.queue.wake("s_1/", now=at(6), kind="send") == 0
        assert (await backend.queue.get(turn.id)).run_at == at(60)

    async def test_release_gives_the_job_back_without_using_an_attempt(
        self, backend: StorageBackend
    ) -> None:
        job = await enqueue(backend)
        await claim(backend)
        assert await backend.queue.release(job.id, worker_id="w1", run_at=at(20))
        stored = await backend.queue.get(job.id)
        assert (stored.status, stored.attempts, stored.run_at) == (JobStatus.PENDING, 0, at(20))

    async def test_retry_brings_a_dead_job_back(self, backend: StorageBackend) -> None:
        job = await enqueue(backend)
        await claim(backend)
        with pytest.raises(InvalidTransition):
            await backend.queue.retry(job.id, now=at(2))
        await backend.queue.fail(job.id, worker_id="w1", error="x", retry_at=None)
        revived = await backend.queue.retry(job.id, now=at(5))
        assert (revived.status, revived.attempts, revived.run_at) == (JobStatus.PENDING, 0, at(5))
        with pytest.raises(NotFound):
            await backend.queue.retry("missing", now=at(5))
        with pytest.raises(NotFound):
            await backend.queue.get("missing")

    async def test_a_retried_dead_job_waits_for_its_keys_running_job(
        self, backend: StorageBackend
    ) -> None:
        old = await enqueue(backend, key="conv")
        await claim(backend, "w1")
        await backend.queue.fail(old.id, worker_id="w1", error="x", retry_at=None)
        newer = await enqueue(backend, key="conv")
        running = await claim(backend, "w2")
        assert running is not None and running.id == newer.id
        await backend.queue.retry(old.id, now=at(1))
        assert await claim(backend, "w3") is None  # not beside the running newer job
        await backend.queue.complete(newer.id, worker_id="w2")
        revived = await claim(backend, "w3")
        assert revived is not None and revived.id == old.id

    async def test_coalesce_merges_into_the_pending_job(self, backend: StorageBackend) -> None:
        first = await enqueue(backend, key="conv", run_at=at(2), coalesce=True)
        merged = await enqueue(backend, key="conv", run_at=at(4), coalesce=True)
        assert merged.id == first.id and merged.run_at == at(4)
        claimed = await claim(backend, now=4)
        assert claimed is not None and claimed.id == first.id
        after_claim = await enqueue(backend, key="conv", run_at=at(5), coalesce=True)
        assert after_claim.id != first.id

    async def test_coalesce_keeps_the_later_time_the_kind_and_a_released_job(
        self, backend: StorageBackend
    ) -> None:
        first = await enqueue(backend, key="conv", run_at=at(6), coalesce=True, payload={"a": 1})
        assert (first.status, first.attempts, first.payload) == (JobStatus.PENDING, 0, {"a": 1})
        earlier = await enqueue(backend, key="conv", run_at=at(3), coalesce=True)
        assert earlier.id == first.id and earlier.run_at == at(6)  # never pulled forward
        other_kind = await enqueue(backend, "send", key="conv", run_at=at(6), coalesce=True)
        assert other_kind.id != first.id  # a send never merges into a turn
        taken = await claim(backend, now=6)
        assert taken is not None and taken.id == first.id
        assert await backend.queue.release(first.id, worker_id="w1", run_at=at(8))
        absorbed = await enqueue(backend, key="conv", run_at=at(7), coalesce=True)
        assert absorbed.id == first.id and absorbed.run_at == at(8)  # waiting, not failed
        stored = await backend.queue.get(first.id)
        assert (stored.status, stored.run_at, stored.payload) == (
            JobStatus.PENDING,
            at(8),
            {"a": 1},
        )

    async def test_list_and_counts_by_status(self, backend: StorageBackend) -> None:
        jobs = [await enqueue(backend) for _ in range(3)]
        await claim(backend)
        await backend.queue.fail(jobs[0].id, worker_id="w1", error="x", retry_at=None)
        dead = await backend.queue.list(JobStatus.DEAD, PageRequest())
        everything = await backend.queue.list(None, PageRequest(limit=2))
        counts = await backend.queue.counts()
        assert [j.id for j in dead.items] == [jobs[0].id]
        assert everything.total == 3 and [j.id for j in everything.items] == [
            jobs[0].id,
            jobs[1].id,
        ]
        assert counts[JobStatus.DEAD] == 1 and counts[JobStatus.PENDING] == 2

    async def test_backlog_counts_each_kind_and_finds_its_oldest_due_job(
        self, backend: StorageBackend
    ) -> None:
        assert await backend.queue.backlog(at(0)) == ()
        await enqueue(backend, key="k1", run_at=at(2))
        await enqueue(backend, key="k2", run_at=at(5))
        await enqueue(backend, "send", key="k3", run_at=at(9))
        found = await backend.queue.backlog(at(6))
        assert [(b.kind, b.queued, b.oldest_due, b.dead) for b in found] == [
            ("send", 1, None, 0),  # not due yet: not lagging
            ("turn", 2, at(2), 0),
        ]

    async def test_oldest_is_the_earliest_due_of_a_status(self, backend: StorageBackend) -> None:
        assert await backend.queue.oldest(JobStatus.PENDING) is None
        later = await enqueue(backend, run_at=at(9))
        first = await enqueue(backend, run_at=at(3))
        tie = await enqueue(backend, run_at=at(3))
        oldest = await backend.queue.oldest(JobStatus.PENDING)
        assert oldest is not None and oldest.id == first.id and oldest.run_at == at(3)
        assert tie.id != first.id and later.id != first.id
        assert await backend.queue.oldest(JobStatus.DEAD) is None

    async def test_concurrent_claims_never_share_a_job(self, backend: StorageBackend) -> None:
        jobs = [await enqueue(backend) for _ in range(30)]
        claimed: list[str] = []

        async def worker(name: str) -> None:
            while (job := await claim(backend, name)) is not None:
                claimed.append(job.id)
                await backend.queue.complete(job.id, worker_id=name)

        await asyncio.gather(*(worker(f"w{i}") for i in range(4)))
        assert sorted(claimed) == sorted(j.id for j in jobs)
