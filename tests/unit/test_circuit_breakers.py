"""Circuit breakers, pacing and the typing indicator."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import ChatMessage, ChatRole
from wa_agents.domain.model.circuit import CircuitBreaker, CircuitState
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import BridgeUnavailable, LLMUnavailable, SessionNotConnected
from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.services.circuit_breakers import CircuitOpen, GuardedChatModel, GuardedGateway
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.pacing import Pacer
from wa_agents.domain.services.platform import Platform

HI = [ChatMessage(role=ChatRole.USER, content="hi")]


class FlakyModel(ScriptedChatModel):
    down = True
    failures = 0

    async def complete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.down:
            self.failures += 1
            raise LLMUnavailable("503 from the provider")
        return await super().complete(*args, **kwargs)


def test_the_breaker_opens_after_the_threshold_and_lets_one_trial_through() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker("x", threshold=3, cool_down=timedelta(seconds=30))
    for _ in range(3):
        assert breaker.allow(clock.now())
        breaker.record_failure(clock.now())
    assert breaker.state(clock.now()) == CircuitState.OPEN and not breaker.allow(clock.now())
    clock.advance(30)
    assert breaker.state(clock.now()) == CircuitState.HALF_OPEN
    assert breaker.allow(clock.now()) and not breaker.allow(clock.now())  # one trial only
    breaker.record_failure(clock.now())
    assert breaker.state(clock.now()) == CircuitState.OPEN
    clock.advance(30)
    assert breaker.allow(clock.now())
    breaker.record_success()
    assert breaker.state(clock.now()) == CircuitState.CLOSED and breaker.failures == 0


async def test_an_open_model_circuit_refuses_at_once_then_recovers() -> None:
    clock, model = ManualClock(), FlakyModel()
    guarded = GuardedChatModel(model, clock, CircuitBreaker("llm", threshold=2))
    for _ in range(2):
        with pytest.raises(LLMUnavailable):
            await guarded.complete(HI, model="m")
    calls = len(model.calls)
    with pytest.raises(CircuitOpen) as refused:
        await guarded.complete(HI, model="m")
    assert refused.value.retry_at == clock.now() + timedelta(seconds=30)
    assert len(model.calls) == calls  # the model was not called while open
    model.down = False
    clock.advance(31)
    assert (await guarded.complete(HI, model="m")).text


async def test_a_disconnected_number_is_not_an_outage() -> None:
    clock, gateway = ManualClock(), MemoryMessagingGateway()
    await gateway.create_session("s")
    guarded = GuardedGateway(gateway, clock, CircuitBreaker("bridge", threshold=1))
    for _ in range(3):
        with pytest.raises(SessionNotConnected):
            await guarded.send_text("s", "1@s.whatsapp.net", "x", idempotency_key="k")
    gateway.connect("s")
    gateway.fail_next_sends = 1
    with pytest.raises(BridgeUnavailable):
        await guarded.send_text("s", "1@s.whatsapp.net", "x", idempotency_key="k")
    with pytest.raises(CircuitOpen):
        await guarded.send_text("s", "1@s.whatsapp.net", "x", idempotency_key="k")


async def test_while_the_model_is_down_messages_are_stored_and_answered_after(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    flaky = FlakyModel()
    platform.guarded_model.inner = flaky
    agent = await platform.agents.create(name="A", model="m", system_prompt="p")
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    for n in range(8):
        result = await platform.inbound.accept(
            InboundMessage(
                session_id="shop", from_jid=f"1555000{n}", content="hi", wa_message_id=f"W{n}"
            )
        )
        assert not result.duplicate
        await platform.runner.run_until_idle()
        clock.advance(5)
    counts = await platform.queue.counts()
    # the 8 turns wait, and so does the last message's index job (due a few seconds later)
    assert counts[JobStatus.DEAD] == 0 and counts[JobStatus.PENDING] == 8 + 1
    assert flaky.failures <= 7  # 5 to open the circuit, then one trial per cool-down
    flaky.down = False
    for _ in range(20):
        clock.advance(60)
        await platform.runner.run_until_idle()
    assert len(gateway.sent) == 8
    assert (await platform.queue.counts())[JobStatus.DEAD] == 0


async def test_sends_of_one_number_are_spaced_and_others_are_not() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(1000, rng=random.Random(1), monotonic=lambda: now[0], sleep=sleep)
    sent_at: list[tuple[str, float]] = []
    for number in ("a", "a", "b", "a"):
        async with pacer.slot(number):
            sent_at.append((number, now[0]))
    a_times = [t for n, t in sent_at if n == "a"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(a_times)]
    assert all(1.0 <= gap <= 1.5 for gap in gaps)
    assert len(slept) == 2  # "b" never waited for "a"
    async with pacer.slot("c", 0):
        pass
    async with pacer.slot("c", 0):
        pass
    assert len(slept) == 2  # 0 disables pacing


async def test_typing_is_shown_while_the_agent_works(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    agent = await platform.agents.create(name="A", model="m", system_prompt="p")
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid="1555", content="hi", wa_message_id="W")
    )
    await platform.runner.run_until_idle()
    assert [state for _, _, state in gateway.presence] == ["composing"]  # the reply ends it
    assert len(gateway.sent) == 1
    async with platform.uow() as uow:  # a turn that stays silent ends "typing…" itself
        conversation = await uow.conversations.get("shop", "1555@s.whatsapp.net")
        await uow.conversations.update(conversation.with_mode(HandoffMode.HUMAN))
        await uow.commit()
    await platform.sessions.assign_agent("shop", None)
    async with platform.uow() as uow:
        await uow.conversations.update(conversation)
        await uow.commit()
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid="1555", content="again", wa_message_id="W2")
    )
    await platform.runner.run_until_idle()
    assert [state for _, _, state in gateway.presence][-2:] == ["composing", "paused"]
