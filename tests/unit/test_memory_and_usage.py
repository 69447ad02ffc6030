"""Managed memory (the rolling summary), per-turn usage and cost, and monthly budgets."""

from __future__ import annotations

from dataclasses import replace

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatRole, Completion, TokenUsage, ToolCall
from wa_agents.domain.model.conversation import HandoffMode, Memory
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.usage import Budget, Price, PriceTable, UsageGroup, prompt_version
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.memory import SUMMARY_HEADING, SUMMARY_INSTRUCTION
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import LogFilter

ALICE = "15550000001@s.whatsapp.net"
BOB = "15550000002@s.whatsapp.net"
PRICES = PriceTable({"scripted": Price(2.0, 10.0)})


class Phone:
    def __init__(self, platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock):
        self.platform, self.gateway, self.clock, self.n = platform, gateway, clock, 0

    async def say(self, text: str, who: str = ALICE, session: str = "shop") -> list[str]:
        self.n += 1
        self.clock.advance(5)
        before = len(self.gateway.sent)
        await self.platform.inbound.accept(
            InboundMessage(
                session_id=session, from_jid=who, content=text, wa_message_id=f"W{self.n}"
            )
        )
        await self.platform.runner.run_until_idle()
        return [m.text for m in self.gateway.sent[before:]]


async def open_shop(
    platform: Platform, gateway: MemoryMessagingGateway, session: str = "shop", **agent: object
) -> Agent:
    fields: dict[str, object] = {"name": "Ana", "model": "gpt-test", "system_prompt": "Be kind."}
    created = await platform.agents.create(**{**fields, **agent})  # type: ignore[arg-type]
    await platform.sessions.create(session, agent_id=created.id)
    gateway.connect(session)
    await platform.sessions.refresh(session)
    return created


def summary_calls(model: ScriptedChatModel) -> list[str]:
    instruction = SUMMARY_INSTRUCTION.split("{")[0]
    return [m[0][1].content for m in model.calls if m[0][0].content.startswith(instruction)]


async def memory_of(platform: Platform, jid: str = ALICE) -> Memory:
    async with platform.uow() as uow:
        return (await uow.conversations.get("shop", jid)).memory


async def test_history_past_the_budget_is_folded_into_a_summary_the_model_then_sees(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    await open_shop(platform, gateway, max_history_tokens=200)
    phone = Phone(platform, gateway, clock)
    await phone.say("my name is Zé and my order number is 4411, it has not arrived yet")
    for n in range(5):
        await phone.say(f"message {n}: still waiting for the parcel, please check it again")
    [fold] = summary_calls(model)[:1]
    assert "my order number is 4411" in fold  # the oldest messages went to the summary call
    memory = await memory_of(platform)
    assert memory.summary.startswith("Summary of") and "4411" in memory.summary
    assert memory.updated_at is not None and memory.updated_at <= clock.now()
    main = model.calls[-1][0]  # the turn's own call: after the summary was made
    assert main[0].content == "Be kind."
    assert main[1].role == ChatRole.SYSTEM and main[1].content.startswith(SUMMARY_HEADING)
    assert memory.summary in main[1].content
    users = [m.content for m in main if m.role == ChatRole.USER]
    assert not any("4411" in u for u in users)  # folded, not repeated verbatim
    assert users[-1].startswith("message 4")
    # about half the budget stays verbatim: a summary is not remade on every turn
    calls = len(summary_calls(model))
    for n in range(6):
        await phone.say(f"ok {n}")
    assert len(summary_calls(model)) - calls <= 3
    memory = await memory_of(platform)
    assert SUMMARY_HEADING + memory.summary in [m.content for m in model.calls[-1][0]]


async def test_an_agent_without_summaries_drops_old_history(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    agent = await open_shop(platform, gateway, max_history_tokens=200)
    async with platform.uow() as uow:
        stored = await uow.agents.get(agent.id)
        await uow.agents.update(replace(stored, memory=replace(stored.memory, summarize=False)))
        await uow.commit()
    phone = Phone(platform, gateway, clock)
    for n in range(6):
        await phone.say(f"message {n}: still waiting for the parcel, please check it again")
    assert summary_calls(model) == [] and (await memory_of(platform)).summary == ""


async def test_reset_clears_the_summary_and_search_forgets_what_came_before(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    await open_shop(platform, gateway, max_history_tokens=200, tools=("search_history",))
    phone = Phone(platform, gateway, clock)
    await phone.say("my secret locker code is 7781")
    for n in range(5):
        await phone.say(f"message {n}: still waiting for the parcel, please check it again")
    assert (await memory_of(platform)).summary
    await phone.say("/reset")
    assert await memory_of(platform) == Memory()
    [found] = await phone.say("/search locker code")
    assert "7781" not in found and "Nothing" in found
    [answer] = await phone.say("did i mention locker code")  # the search_history tool
    assert "7781" not in answer
    prompt = model.calls[-1][0]
    assert not any(m.content.startswith(SUMMARY_HEADING) for m in prompt)
    await phone.say("my new locker code is 9900")
    [again] = await phone.say("/search locker code")
    assert "9900" in again and "7781" not in again


async def test_the_text_search_fallback_also_respects_reset(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await open_shop(platform, gateway)
    platform.commands._semantic = None  # a host without a vector index: substring search
    phone = Phone(platform, gateway, clock)
    await phone.say("my locker code is 7781")
    await phone.say("/reset")
    [found] = await phone.say("/search locker")
    assert "7781" not in found
    [summary] = await phone.say("/summarize")
    assert "7781" not in summary


async def test_every_turn_records_model_prompt_version_tools_tokens_latency_and_cost(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    platform.agent_turns.prices = PRICES
    agent = await open_shop(platform, gateway, tools=("current_time",))
    model.queue(
        Completion(tool_calls=(ToolCall("c1", "current_time", {}),), usage=TokenUsage(0, 7)),
        Completion(text="It is noon.", usage=TokenUsage(0, 3)),
    )
    phone = Phone(platform, gateway, clock)
    await phone.say("what time is it?")
    async with platform.uow() as uow:
        [record] = await uow.usage.for_contact("shop", [ALICE])
        [reply] = [
            m
            for m in await uow.messages.recent("shop", ALICE, limit=5)
            if m.content == "It is noon."
        ]
    asked = sum(
        len(m.content) // 4 + 4 for call in model.calls for m in call[0]
    )  # the scripted model counts prompt tokens this way
    assert (record.model, record.agent_id, record.message_id) == ("scripted", agent.id, reply.id)
    assert record.prompt_version == prompt_version("Be kind.") and len(record.prompt_version) == 12
    assert (record.tokens_in, record.tokens_out) == (asked, 10)
    assert record.cost_usd == round((asked * 2.0 + 10 * 10.0) / 1_000_000, 8)
    assert record.tool_calls[0]["name"] == "current_time" and "result" in record.tool_calls[0]
    assert record.latency_ms >= 0
    why = reply.metadata  # the reply's "why" detail carries the same record
    assert why["prompt_version"] == record.prompt_version and why["cost_usd"] == record.cost_usd
    audit = await platform.logs.audit(_audit_filter("ai.reply"), PageRequest())
    assert audit.items[0].details["cost_usd"] == record.cost_usd


def _audit_filter(action: str):  # type: ignore[no-untyped-def]
    from wa_agents.ports.logs import AuditFilter

    return AuditFilter(action=action)


async def test_usage_sums_by_agent_session_and_day(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    platform.agent_turns.prices = PRICES
    ana = await open_shop(platform, gateway)
    bea = await open_shop(platform, gateway, "desk", name="Bea")
    phone = Phone(platform, gateway, clock)
    start = clock.now()
    await phone.say("hello")
    await phone.say("hello again", who=BOB)
    clock.advance(86_400)
    await phone.say("hi desk", session="desk")
    by_agent = await platform.usage.report(UsageGroup.AGENT, since=start)
    by_session = await platform.usage.report(UsageGroup.SESSION, since=start)
    by_day = await platform.usage.report(UsageGroup.DAY, since=start)
    assert sorted((r.label, r.totals.turns) for r in by_agent.rows) == [("Ana", 2), ("Bea", 1)]
    assert {r.key for r in by_agent.rows} == {ana.id, bea.id}
    assert [(r.key, r.totals.turns) for r in by_session.rows] == [("desk", 1), ("shop", 2)]
    assert [r.totals.turns for r in by_day.rows] == [2, 1]
    assert by_day.rows[0].key == start.date().isoformat()
    total = by_agent.total
    assert total.turns == 3 and total.tokens_in == sum(r.totals.tokens_in for r in by_day.rows)
    assert total.cost_usd > 0
    later = await platform.usage.report(UsageGroup.DAY, since=clock.now())
    assert later.total.turns == 1  # "from" cuts the window


async def test_a_budget_reached_answers_its_message_hands_off_and_logs_a_warning(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    agent = await open_shop(platform, gateway)
    async with platform.uow() as uow:
        stored = await uow.agents.get(agent.id)
        budget = Budget(monthly_tokens=30, message="We are out of credit; a person will answer.")
        await uow.agents.update(replace(stored, budget=budget))
        await uow.commit()
    phone = Phone(platform, gateway, clock)
    [first] = await phone.say("hello, a first question that costs some tokens")
    assert first.startswith("(scripted demo reply)")
    calls = len(model.calls)
    [second] = await phone.say("and a second one")
    assert second == "We are out of credit; a person will answer."
    assert len(model.calls) == calls  # the model was not asked
    async with platform.uow() as uow:
        assert (await uow.conversations.get("shop", ALICE)).mode == HandoffMode.HUMAN
        assert (await uow.usage.totals()).turns == 1  # the budget answer costs nothing
    [warning] = (await platform.logs.logs(LogFilter(level=LogLevel.WARNING), PageRequest())).items
    assert warning.source == "budget" and agent.id in warning.message
    audit = await platform.logs.audit(_audit_filter("conversation.mode"), PageRequest())
    assert audit.items[0].details["mode"] == "human"
    assert await phone.say("hello?") == []  # a person answers from now on


ALICE_LID = "204060801234567@lid"


async def test_memory_follows_a_contact_whose_jid_changes_to_its_lid(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    await open_shop(platform, gateway)
    phone = Phone(platform, gateway, clock)
    await phone.say("my name is Zé")
    clock.advance(5)
    await platform.inbound.accept(
        InboundMessage(
            session_id="shop", from_jid=ALICE_LID, content="who am I?", wa_message_id="L1",
            alt_jid=ALICE,
        )
    )  # fmt: skip
    await platform.runner.run_until_idle()
    users = [m.content for m in model.calls[-1][0] if m.role == ChatRole.USER]
    assert users == ["my name is Zé", "who am I?"]  # one conversation, one memory
    assert gateway.sent[-1].to_jid == ALICE
    async with platform.uow() as uow:
        assert await uow.contacts.resolve("shop", ALICE_LID) == ALICE
        [stored] = [
            m for m in await uow.messages.recent("shop", ALICE, limit=9) if m.wa_message_id == "L1"
        ]
    assert stored.metadata["reported_jid"] == ALICE_LID
    # later messages under the @lid alone still land in the same conversation
    await phone.say("and my order?", who=ALICE_LID)
    users = [m.content for m in model.calls[-1][0] if m.role == ChatRole.USER]
    assert users == ["my name is Zé", "who am I?", "and my order?"]
    # erasing either JID erases the contact under both
    counts = await platform.contact_data.erase(ALICE_LID, actor="dpo")
    assert counts["messages"] == 6 and counts["contact_aliases"] == 1


async def test_a_new_lid_contact_keeps_its_lid_and_adopts_the_phone_form(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    await open_shop(platform, gateway)
    await platform.inbound.accept(
        InboundMessage(
            session_id="shop", from_jid=ALICE_LID, content="hello", wa_message_id="L1",
            alt_jid="not a jid",
        )
    )  # fmt: skip
    await platform.inbound.accept(
        InboundMessage(
            session_id="shop", from_jid=ALICE_LID, content="hi", wa_message_id="L2", alt_jid=ALICE
        )
    )
    await platform.runner.run_until_idle()
    phone = Phone(platform, gateway, clock)
    await phone.say("it's me, from my phone", who=ALICE)
    users = [m.content for m in model.calls[-1][0] if m.role == ChatRole.USER]
    assert users[-1] == "it's me, from my phone" and "hello" in users
    async with platform.uow() as uow:
        assert await uow.contacts.resolve("shop", ALICE) == ALICE_LID


async def test_the_model_calls_of_commands_are_recorded_too(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    platform.command_usage.prices = PRICES
    agent = await open_shop(platform, gateway)
    phone = Phone(platform, gateway, clock)
    await phone.say("I need to pay the invoice")
    await phone.say("/summarize")
    await phone.say("/help")  # no model call: no record
    async with platform.uow() as uow:
        records = await uow.usage.for_contact("shop", [ALICE])
    assert len(records) == 2
    command = records[1]
    assert (command.agent_id, command.message_id, command.model) == (agent.id, None, "scripted")
    assert command.tokens_in > 0 and command.cost_usd > 0
