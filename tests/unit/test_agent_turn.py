"""The tool loop: limits, refusals, and tools that only ever see their own conversation."""

from __future__ import annotations

from wa_agents.adapters.memory import MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import Completion, ToolCall
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform

ALICE = "15550000001@s.whatsapp.net"
BOB = "15550000002@s.whatsapp.net"


async def setup(
    platform: Platform, gateway: MemoryMessagingGateway, tools: tuple[str, ...]
) -> None:
    agent = await platform.agents.create(name="T", model="m", system_prompt="p", tools=tools)
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")


async def say(platform: Platform, who: str, text: str, wa_id: str) -> None:
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid=who, content=text, wa_message_id=wa_id)
    )
    await platform.runner.run_until_idle()


def tool_results(model: ScriptedChatModel) -> list[str]:
    return [m.content for m in model.calls[-1][0] if m.role == "tool"]


async def test_at_most_five_tool_calls_then_an_answer(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await setup(platform, gateway, ("current_time",))
    loop = Completion(tool_calls=(ToolCall("c", "current_time", {}),))
    model.queue(*[loop] * 5, Completion(text="finally"))
    await say(platform, ALICE, "go", "1")
    assert len(tool_results(model)) == 5
    assert model.calls[-1][1] == []  # the last call offers no tools
    assert [m.text for m in gateway.sent] == ["finally"]


async def test_a_model_that_never_stops_calling_tools_gets_a_fallback(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await setup(platform, gateway, ("current_time",))
    model.queue(*[Completion(tool_calls=(ToolCall("c", "current_time", {}),))] * 10)
    await say(platform, ALICE, "go", "1")
    assert len(model.calls) == 6
    assert gateway.sent[0].text.startswith("Sorry")


async def test_disabled_unknown_and_malformed_calls_are_refused_in_band(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await setup(platform, gateway, ("search_history",))
    model.queue(
        Completion(
            tool_calls=(
                ToolCall("a", "current_time", {}),
                ToolCall("b", "rm_rf", {}),
                ToolCall("c", "search_history", {"query": 42}),
                ToolCall("d", "search_history", {"query": "x", "session_id": "other"}),
            )
        ),
        Completion(text="ok"),
    )
    await say(platform, ALICE, "go", "1")
    results = tool_results(model)
    assert results[0].startswith("error: tool 'current_time' is not available")
    assert results[1].startswith("error: tool 'rm_rf'")
    assert "must be of type string" in results[2]
    assert "not allowed" in results[3]


async def test_search_history_sees_only_the_current_contact(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    await setup(platform, gateway, ("search_history",))
    await say(platform, BOB, "my secret code is 9911", "b1")
    model.queue(
        Completion(tool_calls=(ToolCall("s", "search_history", {"query": "secret"}),)),
        Completion(text="-"),
    )
    await say(platform, ALICE, "what is the secret code?", "a1")
    [result] = tool_results(model)
    assert "9911" not in result
    assert "what is the secret code?" in result  # alice's own message is hers to search


async def test_the_scripted_model_drives_tools_by_its_rules(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await setup(platform, gateway, ("current_time", "search_history"))
    await say(platform, ALICE, "my parcel is 77A", "1")
    await say(platform, ALICE, "did I mention parcel", "2")
    assert "77A" in gateway.sent[-1].text
    await say(platform, ALICE, "what day is today?", "3")
    assert "2026-01-01" in gateway.sent[-1].text


async def test_handoff_tool_switches_the_conversation_to_a_human(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await setup(platform, gateway, ("handoff_to_human",))
    await say(platform, ALICE, "I want to talk to a human", "1")
    async with platform.uow() as uow:
        conversation = await uow.conversations.get("shop", ALICE)
    assert conversation.mode == "human"
