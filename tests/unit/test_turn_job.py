"""A turn job ends in the transaction that writes its replies, and its send follows at once.

The turn's unit of work completes the turn job (fenced by the lease) and enqueues the first
reply's send already leased to the same worker, which sends it next without a claim. A crash
between the two leaves the send to whoever claims it when its lease runs out.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.test_pipeline import USER, inbound, linked
from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.domain.model.errors import LeaseLost
from wa_agents.domain.model.job import Job, JobKind, JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.platform import Platform

LEASE = timedelta(seconds=20)
KINDS = frozenset({JobKind.TURN.value, JobKind.SEND.value})


async def jobs(platform: Platform) -> dict[str, list[Job]]:
    found: dict[str, list[Job]] = {}
    for job in (await platform.queue.list(None, PageRequest(limit=100))).items:
        found.setdefault(job.kind, []).append(job)
    return found


async def claim_turn(platform: Platform, worker: str) -> Job:
    job = await platform.queue.claim(KINDS, worker_id=worker, lease=LEASE, now=platform.clock.now())
    assert job is not None and job.kind == JobKind.TURN
    return job


async def outbound(platform: Platform) -> list[MessageStatus]:
    async with platform.uow() as uow:
        page = await uow.messages.list_page("shop", USER, PageRequest())
    return [m.status for m in page.items if m.direction == Direction.OUTBOUND]


async def test_one_claim_runs_the_turn_and_its_send(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(platform, gateway)
    await platform.inbound.accept(inbound("hello"))
    ran = await platform.runner.run_once()
    assert ran is not None and ran.kind == JobKind.TURN
    assert len(gateway.sent) == 1  # sent by the same run_once: no second claim
    found = await jobs(platform)
    assert [j.status for j in found["turn"] + found["send"]] == [JobStatus.DONE] * 2
    assert found["send"][0].attempts == 1
    assert await outbound(platform) == [MessageStatus.SENT]


async def test_a_turn_that_lost_its_lease_writes_nothing(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    await platform.inbound.accept(inbound("hello"))
    stale = await claim_turn(platform, "stalled")
    clock.advance(LEASE.total_seconds())
    taken = await claim_turn(platform, "w2")  # the stalled worker's lease ran out
    with pytest.raises(LeaseLost):
        await platform.pipeline.run_turn(stale)
    assert await outbound(platform) == []  # no reply, no send job: the whole write rolled back
    assert "send" not in await jobs(platform)
    done = await platform.pipeline.run_turn(taken)
    assert done is not None and done.then is not None and done.run is not None
    assert await done.run(done.then) is not None
    assert len(gateway.sent) == 1 and await outbound(platform) == [MessageStatus.SENT]


async def test_a_crash_after_the_turn_commit_still_sends_once(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    """The worker dies between the turn's commit and its send: the send job is RUNNING,
    leased to the dead worker; nobody takes it before the lease runs out, then one does."""
    await linked(platform, gateway)
    await platform.inbound.accept(inbound("hello"))
    turn = await claim_turn(platform, "crashed")
    outcome = await platform.turns.run(turn, LEASE)  # ...and the process is SIGKILLed here
    assert outcome.completed and outcome.send is not None
    send = (await jobs(platform))["send"][0]
    assert (send.status, send.worker_id) == (JobStatus.RUNNING, "crashed")
    clock.advance(LEASE.total_seconds() - 1)
    await platform.runner.run_until_idle()  # (other jobs, e.g. indexing, may run)
    assert gateway.sent == []  # still leased: nobody claimed the send
    clock.advance(1)
    await platform.runner.run_until_idle()
    assert len(gateway.sent) == 1 and await outbound(platform) == [MessageStatus.SENT]
    again = (await jobs(platform))["send"][0]
    assert (again.status, again.attempts) == (JobStatus.DONE, 2)


async def test_a_send_that_lost_its_lease_does_not_mark_the_reply(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    """The bridge sent, but the job went to another worker meanwhile: this run marks
    nothing; the other one sends with the same idempotency key and marks it sent."""
    await linked(platform, gateway)
    await platform.inbound.accept(inbound("hello"))
    turn = await claim_turn(platform, "w1")
    outcome = await platform.turns.run(turn, LEASE)
    assert outcome.send is not None and outcome.outgoing is not None
    clock.advance(LEASE.total_seconds())
    await platform.runner.run_until_idle()  # the other worker sends and marks
    with pytest.raises(LeaseLost):
        await platform.pipeline._deliver(outcome.outgoing, outcome.send)
    keys = {m.wa_message_id for m in gateway.sent}
    assert len(keys) == 1  # one WhatsApp message: the second send got the first's answer
    assert await outbound(platform) == [MessageStatus.SENT]
