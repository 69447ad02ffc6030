"""Every slash command, end to end through the turn pipeline."""

from __future__ import annotations

import pytest

from wa_agents.adapters.memory import MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform

USER = "15551230000@s.whatsapp.net"


class Chat:
    """Plays the WhatsApp user: each ``say`` runs the jobs and returns the new replies."""

    def __init__(self, platform: Platform, gateway: MemoryMessagingGateway) -> None:
        self.platform, self.gateway, self.n = platform, gateway, 0

    async def say(self, text: str) -> list[str]:
        self.n += 1
        before = len(self.gateway.sent)
        await self.platform.inbound.accept(
            InboundMessage(
                session_id="shop", from_jid=USER, content=text, wa_message_id=f"M{self.n}"
            )
        )
        await self.platform.runner.run_until_idle()
        return [m.text for m in self.gateway.sent[before:]]


@pytest.fixture
async def chat(platform: Platform, gateway: MemoryMessagingGateway) -> Chat:
    agent = await platform.agents.create(
        name="Ana", model="gpt-test", system_prompt="Be kind.", description="Order support"
    )
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    return Chat(platform, gateway)


async def test_help_lists_commands_without_calling_the_model(
    chat: Chat, model: ScriptedChatModel
) -> None:
    [reply] = await chat.say("/help")
    assert "/summarize" in reply and "/human" in reply
    assert model.calls == []


async def test_unknown_command_is_answered_helpfully_without_the_model(
    chat: Chat, model: ScriptedChatModel
) -> None:
    [reply] = await chat.say("/pizza")
    assert "/pizza" in reply and "/help" in reply
    assert model.calls == []


async def test_agent_describes_the_agent(chat: Chat) -> None:
    [reply] = await chat.say("/agent")
    assert "Ana" in reply and "Order support" in reply


async def test_reset_forgets_earlier_history(chat: Chat, model: ScriptedChatModel) -> None:
    await chat.say("my name is Zé")
    await chat.say("/reset")
    await chat.say("who am I?")
    prompt = model.calls[-1][0]
    assert [m.content for m in prompt if m.role == "user"] == ["who am I?"]


async def test_search_finds_earlier_messages_of_this_chat(chat: Chat) -> None:
    await chat.say("my invoice number is 4411")
    [reply] = await chat.say("/search invoice")
    assert "4411" in reply
    [none] = await chat.say("/search zebra")
    assert "Nothing" in none


async def test_summarize_and_tasks_use_the_model_on_recent_messages(
    chat: Chat, model: ScriptedChatModel
) -> None:
    await chat.say("I need to pay the invoice")
    await chat.say("remember to call Bob")
    [summary] = await chat.say("/summarize 4")
    assert summary.startswith("Summary of")
    [tasks] = await chat.say("/tasks")
    assert "pay the invoice" in tasks and "call Bob" in tasks
    [bad] = await chat.say("/summarize many")
    assert "number" in bad


async def test_human_hands_the_conversation_over(chat: Chat, model: ScriptedChatModel) -> None:
    [reply] = await chat.say("/human")
    assert "person" in reply
    async with chat.platform.uow() as uow:
        conversation = await uow.conversations.get("shop", USER)
    assert conversation.mode == HandoffMode.HUMAN
    calls = len(model.calls)
    assert await chat.say("hello?") == []
    assert len(model.calls) == calls
