"""Per-agent commands, /agent naming the model that runs, blank text, and the LOGS table."""

from __future__ import annotations

from typing import Any

from tests.unit.test_commands import USER, Chat
from wa_agents.adapters.memory import MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.command import parse_command
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.commands import CommandContext, CommandService
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import LogFilter


async def _chat(platform: Platform, gateway: MemoryMessagingGateway, **fields: Any) -> Chat:
    agent = await platform.agents.create(
        name="Ana", model="gpt-4o-mini", system_prompt="Be kind.", **fields
    )
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    return Chat(platform, gateway)


async def test_commands_that_are_off_are_unknown_and_not_listed(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    chat = await _chat(platform, gateway, commands=("reset",))
    [help_reply] = await chat.say("/help")
    assert "/reset" in help_reply and "/summarize" not in help_reply and "/human" not in help_reply
    [refused] = await chat.say("/summarize 5")
    assert refused.startswith("I don't know the command /summarize")
    [still] = await chat.say("/human")
    assert still.startswith("I don't know the command /human")
    assert model.calls == []  # refused commands never reach the model


async def test_agent_names_the_model_that_actually_runs(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    chat = await _chat(platform, gateway)
    [reply] = await chat.say("/agent")
    assert reply == "I am Ana (model scripted, standing in for gpt-4o-mini)."


async def test_agent_names_the_configured_model_when_that_is_what_runs(
    platform: Platform,
) -> None:
    commands = CommandService(platform.uow, platform.model, platform.clock)  # no fixed model
    agent = await platform.agents.create(name="Bo", model="llama3.1:8b", system_prompt="")
    message = Message(
        id="m",
        session_id="shop",
        contact_jid=USER,
        direction=Direction.INBOUND,
        content="/agent",
        timestamp=platform.clock.now(),
    )
    reply = await commands.execute(
        parse_command("/agent"),  # type: ignore[arg-type]
        CommandContext("shop", USER, agent, message),
    )
    assert reply == "I am Bo (model llama3.1:8b)."


async def test_whitespace_only_text_is_not_media_and_gets_no_reply(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    chat = await _chat(platform, gateway)
    assert await chat.say("   \n\t ") == []
    assert model.calls == []


async def test_a_session_without_an_agent_is_written_to_the_log(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await platform.sessions.create("shop")
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    await platform.inbound.accept(
        InboundMessage(
            session_id="shop", from_jid="1555@s.whatsapp.net", content="hi", wa_message_id="N1"
        )
    )
    await platform.runner.run_until_idle()
    assert gateway.sent == []
    page = await platform.logs.logs(LogFilter(session_id="shop"), PageRequest())
    [entry] = page.items
    assert entry.level == LogLevel.WARNING and "has no agent" in entry.message
