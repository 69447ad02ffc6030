"""Agent catalog, operational log and the knowledge tool."""

from __future__ import annotations

import pytest

from wa_agents.adapters.memory import MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import Completion, ToolCall
from wa_agents.domain.model.errors import NotFound, ValidationError
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import AuditFilter, LogFilter


async def test_agents_are_created_updated_listed_and_deleted_with_audit(platform: Platform) -> None:
    agent = await platform.agents.create(
        name="A", model="m", system_prompt="p", tools=["current_time"], actor="ana"
    )
    assert agent.tools == ("current_time",)
    changed = await platform.agents.update(agent.id, name="B", tools=[], actor="ana")
    assert (changed.name, changed.tools) == ("B", ())
    assert [a.id for a in (await platform.agents.list(PageRequest())).items] == [agent.id]
    assert (await platform.agents.get(agent.id)).name == "B"
    await platform.agents.delete(agent.id, actor="ana")
    with pytest.raises(NotFound):
        await platform.agents.get(agent.id)
    trail = await platform.logs.audit(AuditFilter(actor="ana"), PageRequest())
    assert [e.action for e in trail.items] == ["agent.delete", "agent.update", "agent.create"]


@pytest.mark.parametrize("fields", [{"colour": "red"}, {"temperature": 9.0}, {"tools": ["shell"]}])
async def test_bad_agent_fields_are_refused(platform: Platform, fields: dict[str, object]) -> None:
    agent = await platform.agents.create(name="A", model="m", system_prompt="p")
    with pytest.raises(ValidationError):
        await platform.agents.update(agent.id, **fields)
    with pytest.raises(ValidationError):
        await platform.agents.create(name="A", model="m", system_prompt="p", **fields)


async def test_log_entries_are_written_and_filtered(platform: Platform) -> None:
    await platform.logs.log(LogLevel.ERROR, "bridge", "send failed", status=500)
    await platform.logs.log(LogLevel.INFO, "worker", "started")
    errors = await platform.logs.logs(LogFilter(level=LogLevel.ERROR), PageRequest())
    assert [(e.source, e.details) for e in errors.items] == [("bridge", {"status": 500})]


async def test_the_knowledge_tool_reads_only_its_agents_documents(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    agent = await platform.agents.create(
        name="K", model="m", system_prompt="p", tools=["search_knowledge"]
    )
    other = await platform.agents.create(name="O", model="m", system_prompt="p")
    await platform.documents.add_text(agent.id, "Hours", "We open at 9am on weekdays", actor="t")
    await platform.documents.add_text(
        other.id, "Secrets", "Secret discount code XYZ opens doors", actor="t"
    )
    await platform.runner.run_until_idle()  # the documents' index jobs
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    model.queue(
        Completion(tool_calls=(ToolCall("k", "search_knowledge", {"query": "when do you open"}),))
    )
    await platform.inbound.accept(
        InboundMessage(
            session_id="shop", from_jid="1555", content="when do you open?", wa_message_id="1"
        )
    )
    await platform.runner.run_until_idle()
    [result] = [m.content for m in model.calls[-1][0] if m.role == "tool"]
    assert "9am" in result and "XYZ" not in result


async def test_the_echo_of_a_reply_held_for_long_is_not_taken_for_the_owner(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    from datetime import timedelta

    from wa_agents.domain.model.conversation import HandoffMode

    agent = await platform.agents.create(name="A", model="m", system_prompt="p")
    await platform.sessions.create("shop", agent_id=agent.id)  # never linked: replies wait
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid="1555", content="hi", wa_message_id="W1")
    )
    await platform.runner.run_until_idle()
    async with platform.uow() as uow:
        [reply] = [
            m
            for m in await uow.messages.recent("shop", "1555@s.whatsapp.net", limit=5)
            if m.direction == "outbound"
        ]
    platform.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    echo = InboundMessage(
        session_id="shop", from_jid="1555", content=reply.content, wa_message_id="ECHO-1"
    )
    result = await platform.bridge_events.message(echo, from_me=True)
    assert result.duplicate
    async with platform.uow() as uow:
        assert (await uow.conversations.get("shop", "1555@s.whatsapp.net")).mode == HandoffMode.AI
