"""The whole inbound flow through memory adapters: in, one turn, exactly one reply out."""

from __future__ import annotations

import asyncio

import pytest

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import Completion, ToolCall
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.message import Direction, MessageStatus, MessageType
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import AuditFilter

USER = "15551230000@s.whatsapp.net"


async def linked(
    platform: Platform, gateway: MemoryMessagingGateway, **agent_fields: object
) -> str:
    agent = await platform.agents.create(
        name="Helper", model="gpt-test", system_prompt="Be brief.", **agent_fields
    )
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    return agent.id


def inbound(
    text: str, wa_id: str | None = "WA1", kind: MessageType = MessageType.TEXT
) -> InboundMessage:
    return InboundMessage(
        session_id="shop",
        from_jid="15551230000:3@s.whatsapp.net",
        content=text,
        wa_message_id=wa_id,
        message_type=kind,
    )


async def test_a_message_gets_one_reply_after_a_tool_call(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await linked(platform, gateway, tools=("current_time",))
    model.queue(
        Completion(tool_calls=(ToolCall("c1", "current_time", {}),)),
        Completion(text="It is noon."),
    )
    result = await platform.inbound.accept(inbound("what time is it?"))
    assert result.turn_scheduled and not result.duplicate
    await platform.runner.run_until_idle()

    assert [(m.to_jid, m.text) for m in gateway.sent] == [(USER, "It is noon.")]
    tool_result = model.calls[1][0][-1]
    assert tool_result.role == "tool" and tool_result.content.startswith("2026-01-01T12:00")
    async with platform.uow() as uow:
        history = await uow.messages.recent("shop", USER, limit=10)
        audit = await uow.audit.query(AuditFilter(action="ai.reply"), PageRequest())
    assert [(m.direction, m.status) for m in history] == [
        (Direction.INBOUND, MessageStatus.PROCESSED),
        (Direction.OUTBOUND, MessageStatus.SENT),
    ]
    assert history[1].wa_message_id == gateway.sent[0].wa_message_id
    assert history[1].metadata["scripted"] is True  # offline replies are labelled as such
    assert audit.items[0].details["tool_calls"][0]["name"] == "current_time"


async def test_redeliveries_are_stored_once_and_answered_once(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(platform, gateway)
    first = await platform.inbound.accept(inbound("hello"))
    again = await platform.inbound.accept(inbound("hello"))
    await asyncio.gather(*(platform.inbound.accept(inbound("hello")) for _ in range(3)))
    await platform.runner.run_until_idle()
    await platform.inbound.accept(inbound("hello"))
    await platform.runner.run_until_idle()
    assert again.duplicate and again.message.id == first.message.id
    assert len(gateway.sent) == 1
    async with platform.uow() as uow:
        assert await uow.messages.count(direction=Direction.INBOUND) == 1


async def test_a_burst_becomes_one_turn(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await linked(platform, gateway)
    for n, text in enumerate(["hi", "I have a question", "about my order"]):
        await platform.inbound.accept(inbound(text, wa_id=f"B{n}"))
    await platform.runner.run_until_idle()
    assert len(gateway.sent) == 1
    user_turns = [m.content for m in model.calls[0][0] if m.role == "user"]
    assert user_turns == ["hi", "I have a question", "about my order"]


@pytest.mark.parametrize("mode", [HandoffMode.PAUSED, HandoffMode.HUMAN])
async def test_paused_and_human_conversations_are_stored_not_answered(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel, mode: HandoffMode
) -> None:
    await linked(platform, gateway)
    await platform.inbound.accept(inbound("first", wa_id="P0"))
    await platform.runner.run_until_idle()
    async with platform.uow() as uow:
        conversation = await uow.conversations.get("shop", USER)
        await uow.conversations.update(conversation.with_mode(mode))
        await uow.commit()
    calls_before = len(model.calls)
    result = await platform.inbound.accept(inbound("are you there?", wa_id="P1"))
    await platform.runner.run_until_idle()
    assert not result.turn_scheduled
    assert len(gateway.sent) == 1 and len(model.calls) == calls_before
    async with platform.uow() as uow:
        stored = await uow.messages.get(result.message.id)
    assert stored.status == MessageStatus.PROCESSED


async def test_replies_wait_while_disconnected_and_go_out_in_order(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    gateway.disconnect("shop")
    for n in range(3):
        await platform.inbound.accept(inbound("/help", wa_id=f"D{n}"))
        await platform.runner.run_until_idle()
    assert gateway.sent == []
    gateway.connect("shop")
    clock.advance(60)
    await platform.runner.run_until_idle()
    assert len(gateway.sent) == 3
    clock.advance(5)  # the replies' index job is due a few seconds after them
    await platform.runner.run_until_idle()
    counts = await platform.queue.counts()
    assert counts["dead"] == 0 and counts["pending"] == 0


async def test_a_failing_send_retries_then_goes_dead_and_marks_the_reply(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    gateway.fail_next_sends = 100
    result = await platform.inbound.accept(inbound("/help"))
    for _ in range(10):
        await platform.runner.run_until_idle()
        clock.advance(600)
    counts = await platform.queue.counts()
    assert counts["dead"] == 1
    async with platform.uow() as uow:
        out = await uow.messages.recent("shop", USER, limit=5)
    assert out[-1].status == MessageStatus.FAILED and "injected" in out[-1].metadata["error"]
    assert result.message.id != out[-1].id


async def test_media_without_text_gets_the_agents_polite_reply(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(platform, gateway, unsupported_media_reply="Text only, please.")
    await platform.inbound.accept(inbound("", kind=MessageType.IMAGE))
    await platform.runner.run_until_idle()
    assert [m.text for m in gateway.sent] == ["Text only, please."]


async def test_a_message_for_an_unknown_session_is_refused(platform: Platform) -> None:
    with pytest.raises(NotFound):
        await platform.inbound.accept(inbound("hi"))


async def test_a_turn_replayed_after_its_commit_does_nothing(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await linked(platform, gateway)
    await platform.inbound.accept(inbound("hi"))
    await platform.runner.run_until_idle()
    assert await platform.turns.handle("shop", USER) == []
    assert len(gateway.sent) == 1
