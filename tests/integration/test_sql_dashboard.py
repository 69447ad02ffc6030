"""What the dashboard reads, on real databases: the inbox across numbers and the stats."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.integration.test_sql_pipeline import USER, inbound, platform  # noqa: F401
from wa_agents.adapters.memory import ManualClock
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.conversations import ConversationFilter

ALL = ConversationFilter()


async def test_the_inbox_counts_what_waits_for_an_answer(platform: Platform) -> None:  # noqa: F811
    await platform.inbound.accept(inbound("hello", "W1"))
    [waiting] = (await platform.conversations.inbox(ALL, PageRequest())).items
    assert waiting.unread == 1 and waiting.last_message is not None
    await platform.runner.run_until_idle()
    [answered] = (await platform.conversations.inbox(ALL, PageRequest())).items
    assert answered.unread == 0 and answered.last_message is not None
    assert answered.last_message.content.startswith("(scripted demo reply)")
    reply = answered.last_message.metadata
    assert {"model", "tool_calls", "latency_ms", "prompt_tokens", "completion_tokens"} <= set(reply)

    await platform.conversations.set_mode("shop", USER, HandoffMode.HUMAN, actor="op")
    assert isinstance(platform.clock, ManualClock)
    platform.clock.advance(1)  # after the reply
    await platform.inbound.accept(inbound("a person, please", "W2"))
    await platform.inbound.accept(inbound("anyone?", "W3"))
    await platform.runner.run_until_idle()
    human = ConversationFilter(mode=HandoffMode.HUMAN)
    [held] = (await platform.conversations.inbox(human, PageRequest())).items
    assert held.unread == 2 and held.conversation.mode == HandoffMode.HUMAN
    assert (
        await platform.conversations.inbox(ConversationFilter(mode=HandoffMode.AI), PageRequest())
    ).total == 0
    other = ConversationFilter(session_id="elsewhere")
    assert (await platform.conversations.inbox(other, PageRequest())).items == []


async def test_stats_count_today_in_the_callers_time_zone(platform: Platform) -> None:  # noqa: F811
    await platform.inbound.accept(inbound("one", "W1"))
    await platform.inbound.accept(inbound("two", "W2"))
    await platform.runner.run_until_idle()
    clock = platform.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(minutes=1))  # the conversation's indexing waits a few seconds
    await platform.runner.run_until_idle()
    stats = await platform.stats.collect()
    assert (stats.today.inbound, stats.failed_today, stats.failed_total) == (2, 0, 0)
    assert stats.today.outbound >= 1 and stats.today == stats.daily[-1]
    assert len(stats.daily) == 7 and all(d.inbound == 0 for d in stats.daily[:-1])
    assert stats.oldest_pending is None

    clock.advance(timedelta(hours=13))  # 01:00 UTC the next day; still 22:00 in São Paulo
    utc = await platform.stats.collect()
    assert utc.today.inbound == 0 and utc.daily[-2].inbound == 2
    brazil = await platform.stats.collect(ZoneInfo("America/Sao_Paulo"))
    assert brazil.today.inbound == 2

    async with platform.uow() as uow:
        job = await uow.jobs.enqueue("turn", {"n": 1}, run_at=clock.now())
        await uow.commit()
    waiting = await platform.stats.collect()
    assert waiting.oldest_pending is not None and waiting.oldest_pending.id == job.id
