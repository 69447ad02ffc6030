"""The send governor with an injectable clock: budgets, first contacts, warm-up, pacing,
restriction pauses and health, two processes on one store, and deferred sends in the queue."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.memory.telemetry import MemoryTelemetry
from wa_agents.domain.model.errors import NumberRestricted, SendDeferred, ValidationError
from wa_agents.domain.model.governor import Decision, NumberState, SendPolicy
from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.message import MessageStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.governor import LocalGovernorStore, SendGovernor
from wa_agents.domain.services.platform import Platform


def governor(
    clock: ManualClock, store: LocalGovernorStore | None = None, **options: object
) -> SendGovernor:
    return SendGovernor(store or LocalGovernorStore(), clock, rng=random.Random(3), **options)  # type: ignore[arg-type]


async def reserve(gov: SendGovernor, clock: ManualClock, policy: SendPolicy, **kw: object) -> str:
    """The decision for one send: allowed/paced, or the reason it was deferred."""
    try:
        grant = await gov.reserve(
            "n1",
            policy,
            first_contact=bool(kw.get("first", False)),
            linked_at=kw.get("linked", clock.now() - timedelta(days=365)),  # type: ignore[arg-type]
        )
    except SendDeferred as deferred:
        return f"deferred:{deferred.reason}:{(deferred.retry_at - clock.now()).total_seconds():g}"
    return grant.decision.value


async def test_a_minute_budget_defers_the_next_send_until_the_oldest_leaves_the_window() -> None:
    clock = ManualClock()
    gov, policy = governor(clock), SendPolicy(per_minute=3)
    decisions = []
    for _ in range(4):
        decisions.append(await reserve(gov, clock, policy))
        clock.advance(10)
    assert decisions == ["allowed"] * 3 + ["deferred:deferred:30"]  # the first was 30 s ago
    clock.advance(30)
    assert await reserve(gov, clock, policy) == "allowed"


async def test_hour_and_day_budgets_hold_too() -> None:
    clock = ManualClock()
    gov = governor(clock)
    policy = SendPolicy(per_hour=2, per_day=3)
    assert [await reserve(gov, clock, policy) for _ in range(2)] == ["allowed", "allowed"]
    assert (await reserve(gov, clock, policy)).startswith("deferred:deferred:3600")
    clock.advance(3600)
    assert await reserve(gov, clock, policy) == "allowed"
    clock.advance(3600)
    assert (await reserve(gov, clock, policy)).startswith("deferred")  # 3 in the day


async def test_first_messages_to_contacts_who_never_wrote_have_their_own_limit() -> None:
    clock = ManualClock()
    gov, policy = governor(clock), SendPolicy(first_contacts_per_day=1)
    assert await reserve(gov, clock, policy, first=True) == "allowed"
    assert (await reserve(gov, clock, policy, first=True)).startswith("deferred:deferred:86400")
    assert await reserve(gov, clock, policy) == "allowed"  # a reply is not a first contact


async def test_a_new_number_warms_up_from_a_fifth_of_its_budget() -> None:
    clock = ManualClock()
    gov, policy = governor(clock), SendPolicy(per_day=100, warmup_days=10, warmup_start=0.2)
    linked = clock.now()
    allowed = 0
    while (await reserve(gov, clock, policy, linked=linked)) == "allowed":
        allowed += 1
    assert allowed == 20
    assert policy.budgets(5 * 86400)[86400] == 60 and policy.budgets(20 * 86400)[86400] == 100


async def test_pacing_spaces_sends_with_jitter_and_defers_a_long_wait() -> None:
    clock = ManualClock()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    gov = governor(clock, max_wait=5.0, sleep=sleep)
    policy = SendPolicy(min_interval_ms=2000, jitter=0.5)
    for _ in range(3):
        grant = await gov.reserve("n1", policy, first_contact=False, linked_at=clock.now())
        await gov.wait_for(grant)
    assert len(slept) == 2 and all(2.0 <= s <= 3.0 for s in slept)
    slow = SendPolicy(min_interval_ms=60_000, jitter=0)
    assert await reserve(gov, clock, slow) in ("allowed", "paced")
    assert (await reserve(gov, clock, slow)).startswith("deferred:deferred:")  # 60 s > 5 s


async def test_restrictions_pause_the_number_and_lower_its_health() -> None:
    clock, telemetry = ManualClock(), MemoryTelemetry()
    gov, policy = governor(clock, telemetry=telemetry), SendPolicy()
    await gov.restricted("n1", "rate-limited", retry_after=30)
    assert await reserve(gov, clock, policy) == "deferred:paused:30"
    report = await gov.report("n1", policy, clock.now())
    assert report.paused and report.pause_reason == "rate-limited" and report.health == 80
    clock.advance(31)
    assert await reserve(gov, clock, policy) == "allowed"
    await gov.restricted("n1", "rate-limited", retry_after=30)  # again, soon: the pause doubles
    assert await reserve(gov, clock, policy) == "deferred:paused:60"
    await gov.restricted("n1", "banned")
    assert (await gov.report("n1", policy, clock.now())).health == 0
    clock.advance(86400 * 30)
    assert (await reserve(gov, clock, policy)).startswith("deferred:paused")  # until resumed
    await gov.resume("n1")
    assert await reserve(gov, clock, policy) == "allowed"
    assert telemetry.counts["governor", "restricted"] == 3 and telemetry.health["n1"] == 0
    await gov.restricted("n1", "disconnected")  # not a restriction token: nothing happens
    assert await reserve(gov, clock, policy) == "allowed"


async def test_health_recovers_over_time() -> None:
    clock = ManualClock()
    gov = governor(clock)
    await gov.restricted("n1", "restricted")
    assert (await gov.report("n1", SendPolicy(), clock.now())).health == 50
    clock.advance(3 * 3600)
    assert (await gov.report("n1", SendPolicy(), clock.now())).health == 80


async def test_two_processes_on_one_store_share_the_budget() -> None:
    clock, store = ManualClock(), LocalGovernorStore()
    a, b = governor(clock, store), governor(clock, store)
    policy = SendPolicy(per_minute=4)
    decisions = [await reserve(g, clock, policy) for g in (a, b, a, b, a)]
    assert decisions[:4] == ["allowed"] * 4 and decisions[4].startswith("deferred")


async def test_a_change_never_touches_the_state_the_store_gave_it() -> None:
    """The local store hands ``change`` its own stored state (no copy): the governor's
    changes must be pure, even one that is refused (a deferral) or raises."""
    clock, store = ManualClock(), LocalGovernorStore()
    gov = governor(clock, store)
    policy = SendPolicy(per_minute=1)
    assert await reserve(gov, clock, policy, first=True) == "allowed"
    stored = store.states["n1"]
    before = {k: list(v) if isinstance(v, list) else v for k, v in stored.items()}
    assert (await reserve(gov, clock, policy, first=True)).startswith("deferred")
    await gov.restricted("n1", "rate-limited")
    assert stored == before  # the dict it was given is as it was: each change made a new one
    assert store.states["n1"] is not stored and store.states["n1"]["paused_until"] is not None
    state = NumberState.from_json(store.states["n1"])
    state.sends.append(1.0)
    assert 1.0 not in store.states["n1"]["sends"]
    assert state.to_json()["sends"] is not state.sends


def test_bad_policies_are_validation_errors() -> None:
    with pytest.raises(ValidationError):
        SendPolicy().merged({"per_minute": -1})
    with pytest.raises(ValidationError):
        SendPolicy().merged({"per_minute": "ten"})
    with pytest.raises(ValidationError):
        SendPolicy().merged({"per_week": 3})
    assert SendPolicy().merged({"jitter": 0.1}).jitter == 0.1


async def test_deferred_sends_wait_in_the_queue_and_go_out_in_order(
    platform: Platform, clock: ManualClock, gateway: MemoryMessagingGateway
) -> None:
    await platform.sessions.create("shop")
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    await platform.sessions.configure("shop", send_policy={"per_minute": 2})
    for n in range(5):
        await platform.conversations.send("shop", "15551230000", f"m{n}", actor="op")
    await platform.runner.run_until_idle()
    assert [m.text for m in gateway.sent] == ["m0", "m1"]
    counts = await platform.queue.counts()
    assert counts[JobStatus.PENDING] >= 3 and counts[JobStatus.DEAD] == 0
    for _ in range(3):
        clock.advance(61)
        await platform.runner.run_until_idle()
    assert [m.text for m in gateway.sent] == [f"m{n}" for n in range(5)]  # none lost, none twice


async def test_a_restricted_send_pauses_the_number_and_is_sent_later(
    platform: Platform, clock: ManualClock, gateway: MemoryMessagingGateway
) -> None:
    await platform.sessions.create("shop")
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    gateway.restrict_next_sends = ["rate-limited"]
    await platform.conversations.send("shop", "15551230000", "hello", actor="op")
    await platform.runner.run_until_idle()
    assert gateway.sent == []
    report = await platform.governor.report("shop", platform.governor.defaults, clock.now())
    assert report.paused and report.health < 100
    clock.advance(120)
    await platform.runner.run_until_idle()
    assert [m.text for m in gateway.sent] == ["hello"]
    page = await platform.conversations.history("shop", "15551230000", PageRequest())
    assert [m.status for m in page.items] == [MessageStatus.SENT]


def test_restriction_errors_carry_the_reason() -> None:
    error = NumberRestricted("banned", "locked")
    assert error.reason == "banned" and "locked" in str(error) and Decision.PAUSED.value == "paused"
