"""Usage tokens come from the OpenAI response's ``usage``: a turn against the fake server."""

from __future__ import annotations

import pytest

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from tests.support.memory_platform import memory_platform
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMessagingGateway,
)
from wa_agents.adapters.openai import OpenAIChatModel
from wa_agents.domain.model.usage import Price, PriceTable
from wa_agents.domain.services.inbound import InboundMessage

JID = "15551230000@s.whatsapp.net"


async def test_a_turn_records_the_tokens_the_server_reported_and_their_price() -> None:
    fake = FakeOpenAI()
    fake.answer_text("Hello there!")
    clock, gateway = ManualClock(), MemoryMessagingGateway()
    with serve(fake) as server:
        model = OpenAIChatModel(API_KEY, base_url=server.url + "/v1", max_retries=0)
        prices = PriceTable({"gpt-4o-mini": Price(0.15, 0.6)})
        platform = memory_platform(clock, gateway, model, prices=prices)
        agent = await platform.agents.create(name="A", model="gpt-4o-mini", system_prompt="Hi.")
        await platform.sessions.create("shop", agent_id=agent.id)
        gateway.connect("shop")
        await platform.sessions.refresh("shop")
        await platform.inbound.accept(
            InboundMessage(session_id="shop", from_jid=JID, content="hello", wa_message_id="W1")
        )
        await platform.runner.run_until_idle()
        await model.aclose()
    [request] = fake.requests
    prompt = sum(len(str(m.get("content") or "")) for m in request["messages"]) // 4
    async with platform.uow() as u:
        [record] = await u.usage.for_contact("shop", [JID])
    assert (record.tokens_in, record.tokens_out) == (prompt, 7)  # the fake's usage figures
    assert record.model == "gpt-4o-mini"
    assert record.cost_usd == pytest.approx((prompt * 0.15 + 7 * 0.6) / 1_000_000)
    assert gateway.sent[0].text == "Hello there!"
