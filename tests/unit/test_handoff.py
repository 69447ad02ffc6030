"""One handoff state machine: every path switches through it, audited, published, told."""

from __future__ import annotations

import pytest

from tests.support.memory_platform import memory_platform
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMessagingGateway,
)
from wa_agents.adapters.memory.events import MemoryEventBus
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import Completion, ToolCall
from wa_agents.domain.model.conversation import Conversation, HandoffMode
from wa_agents.domain.model.errors import InvalidTransition
from wa_agents.domain.model.handoff import HandoffPolicy
from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import AuditFilter

USER = "15551230000@s.whatsapp.net"
HANDOFF = "A colleague will take over."
RESUME = "The assistant is back."


@pytest.fixture
def bus() -> MemoryEventBus:
    return MemoryEventBus()


@pytest.fixture
def platform(
    clock: ManualClock,
    model: ScriptedChatModel,
    gateway: MemoryMessagingGateway,
    bus: MemoryEventBus,
) -> Platform:
    return memory_platform(clock, gateway, model, events=bus)


async def linked(platform: Platform, gateway: MemoryMessagingGateway, **fields: object) -> str:
    policy = HandoffPolicy(message=HANDOFF, resume_message=RESUME, **fields)  # type: ignore[arg-type]
    agent = await platform.agents.create(
        name="Helper",
        model="gpt-test",
        system_prompt="Be brief.",
        tools=("handoff_to_human",),
        handoff=policy,
    )
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    return agent.id


_seq = iter(range(1, 10_000))


async def say(platform: Platform, text: str, *, from_me: bool = False) -> None:
    inbound = InboundMessage(
        session_id="shop", from_jid=USER, content=text, wa_message_id=f"W{next(_seq)}"
    )
    if from_me:
        await platform.bridge_events.message(inbound, from_me=True)
    else:
        await platform.inbound.accept(inbound)
    await platform.runner.run_until_idle()


async def conversation(platform: Platform) -> Conversation:
    async with platform.uow() as uow:
        return await uow.conversations.get("shop", USER)


async def switches(platform: Platform) -> list[tuple[str, str, str]]:
    """(actor, previous, mode) of every audited switch, oldest first."""
    async with platform.uow() as uow:
        page = await uow.audit.query(AuditFilter(action="conversation.mode"), PageRequest())
    rows = sorted(page.items, key=lambda a: a.id)
    return [(a.actor, a.details["previous"], a.details["mode"]) for a in rows]


def published(bus: MemoryEventBus) -> list[tuple[str, str]]:
    return [(e.data["mode"], e.data["by"]) for e in bus.published if e.kind == "conversation.mode"]


def texts(gateway: MemoryMessagingGateway) -> list[str]:
    return [m.text for m in gateway.sent]


def test_the_transition_refuses_a_switch_to_the_same_mode(clock: ManualClock) -> None:
    c = Conversation(
        session_id="s", contact_jid=USER, last_activity_at=clock.now(), created_at=clock.now()
    )
    human = c.hand_off(by="alice", now=clock.now())
    assert (human.mode, human.mode_by, human.mode_changed_at) == (
        HandoffMode.HUMAN,
        "alice",
        clock.now(),
    )
    with pytest.raises(InvalidTransition):
        human.hand_off(by="bob", now=clock.now())
    assert human.resume(by="timeout", now=clock.now()).mode == HandoffMode.AI


async def test_the_tool_hands_off_and_the_user_still_gets_the_reply_and_the_notice(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    model: ScriptedChatModel,
    bus: MemoryEventBus,
) -> None:
    agent_id = await linked(platform, gateway)
    model.queue(
        Completion(tool_calls=(ToolCall("c1", "handoff_to_human", {"reason": "refund"}),)),
        Completion(text="Let me get a colleague for the refund."),
    )
    await say(platform, "I want a refund")
    assert texts(gateway) == ["Let me get a colleague for the refund.", HANDOFF]
    assert (await conversation(platform)).mode == HandoffMode.HUMAN
    assert await switches(platform) == [(f"agent:{agent_id}", "ai", "human")]
    assert published(bus) == [("human", f"agent:{agent_id}")]
    [event] = [e for e in bus.published if e.kind == "conversation.mode"]
    assert event.data == {
        "session_id": "shop",
        "contact_jid": USER,
        "mode": "human",
        "by": f"agent:{agent_id}",
        "reason": "refund",
    }
    calls = len(model.calls)
    await say(platform, "hello?")  # a person answers now: the agent stays quiet
    assert len(model.calls) == calls and len(gateway.sent) == 2


async def test_the_human_command_hands_off_with_the_configured_message(
    platform: Platform, gateway: MemoryMessagingGateway, bus: MemoryEventBus
) -> None:
    await linked(platform, gateway)
    await say(platform, "/human")
    assert texts(gateway) == [HANDOFF]  # the notice is the answer: said once
    assert await switches(platform) == [("user", "ai", "human")]
    assert published(bus) == [("human", "user")]


async def test_in_human_mode_help_answers_and_the_resume_word_brings_the_agent_back(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    model: ScriptedChatModel,
    bus: MemoryEventBus,
) -> None:
    await linked(platform, gateway, resume_word="/bot")
    await say(platform, "/human")
    await say(platform, "/help")
    assert "Send /bot to talk to the assistant again." in texts(gateway)[-1]
    assert "/reset" in texts(gateway)[-1]  # the command list, too
    await say(platform, "/summarize")
    assert "not available now" in texts(gateway)[-1]
    await say(platform, "/BOT ")
    assert texts(gateway)[-1] == RESUME
    assert (await conversation(platform)).mode == HandoffMode.AI
    assert await switches(platform) == [("user", "ai", "human"), ("user", "human", "ai")]
    assert published(bus) == [("human", "user"), ("ai", "user")]
    model.queue(Completion(text="Hi again!"))
    await say(platform, "hi")
    assert texts(gateway)[-1] == "Hi again!"


async def test_an_operator_message_hands_off_without_a_notice(
    platform: Platform, gateway: MemoryMessagingGateway, bus: MemoryEventBus
) -> None:
    await linked(platform, gateway)
    await say(platform, "/help")
    await platform.conversations.send("shop", USER, "Hi, Ana here.", actor="ana")
    await platform.runner.run_until_idle()
    assert texts(gateway)[-1] == "Hi, Ana here."  # her message is what the user reads
    assert (await conversation(platform)).mode_by == "ana"
    assert await switches(platform) == [("ana", "ai", "human")]
    assert published(bus) == [("human", "ana")]


async def test_the_owner_typing_on_the_phone_hands_off(
    platform: Platform, gateway: MemoryMessagingGateway, bus: MemoryEventBus
) -> None:
    await linked(platform, gateway)
    await say(platform, "I'll take this one", from_me=True)
    assert (await conversation(platform)).mode == HandoffMode.HUMAN
    assert await switches(platform) == [("owner", "ai", "human")]
    assert published(bus) == [("human", "owner")]
    assert gateway.sent == []


async def test_the_api_switch_is_audited_published_and_told_both_ways(
    platform: Platform, gateway: MemoryMessagingGateway, bus: MemoryEventBus
) -> None:
    await linked(platform, gateway)
    await say(platform, "/help")
    await platform.conversations.set_mode("shop", USER, HandoffMode.HUMAN, actor="ana")
    await platform.conversations.set_mode("shop", USER, HandoffMode.HUMAN, actor="ana")  # no-op
    await platform.conversations.set_mode("shop", USER, HandoffMode.AI, actor="bo", reason="done")
    await platform.runner.run_until_idle()
    assert texts(gateway)[1:] == [HANDOFF, RESUME]
    assert await switches(platform) == [("ana", "ai", "human"), ("bo", "human", "ai")]
    assert published(bus) == [("human", "ana"), ("ai", "bo")]


async def test_the_timeout_brings_the_agent_back_after_the_last_human_reply(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock, bus: MemoryEventBus
) -> None:
    await linked(platform, gateway, timeout_minutes=30)
    await say(platform, "/human")
    clock.advance(20 * 60)
    await platform.conversations.send("shop", USER, "Checking…", actor="ana")  # timer restarts
    clock.advance(20 * 60)
    await platform.runner.run_until_idle()
    assert (await conversation(platform)).mode == HandoffMode.HUMAN  # 20 min since Ana wrote
    clock.advance(11 * 60)
    await platform.runner.run_until_idle()
    assert (await conversation(platform)).mode == HandoffMode.AI
    assert texts(gateway)[-1] == RESUME
    assert await switches(platform) == [("user", "ai", "human"), ("timeout", "human", "ai")]
    assert published(bus)[-1] == ("ai", "timeout")
    counts = await platform.queue.counts()
    assert counts[JobStatus.DEAD] == 0 and counts[JobStatus.PENDING] == 0


async def test_a_timeout_of_an_ended_handoff_does_nothing(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway, timeout_minutes=5)
    await say(platform, "/human")
    await platform.conversations.set_mode("shop", USER, HandoffMode.AI, actor="ana")
    clock.advance(30)
    await platform.conversations.set_mode("shop", USER, HandoffMode.HUMAN, actor="ana")
    clock.advance(5 * 60 - 29)  # the first handoff's job is due; the second's is not
    await platform.runner.run_until_idle()
    assert (await conversation(platform)).mode == HandoffMode.HUMAN
    clock.advance(30)
    await platform.runner.run_until_idle()
    assert (await conversation(platform)).mode == HandoffMode.AI


async def test_empty_messages_switch_silently(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    agent = await platform.agents.create(
        name="Quiet",
        model="m",
        system_prompt="",
        handoff=HandoffPolicy(message="", resume_message="", resume_word=""),
    )
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    await say(platform, "/human")
    assert [m.text for m in gateway.sent] == ["OK, a person will answer you here."]
    await say(platform, "/help")
    assert "A person will hand you back" in gateway.sent[-1].text
    async with platform.uow() as uow:
        history = await uow.messages.recent("shop", USER, limit=10)
    assert all(m.status == MessageStatus.SENT for m in history if m.direction == Direction.OUTBOUND)
