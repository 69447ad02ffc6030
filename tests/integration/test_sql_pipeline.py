"""The message pipeline on real databases: once in, one job, one reply."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.databases import BACKENDS, database_for
from tests.support.sql_platform import linked_platform
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMessagingGateway,
)
from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform

USER = "15551230000@s.whatsapp.net"


@pytest.fixture(params=BACKENDS)
async def platform(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Platform]:
    async with database_for(request.param, tmp_path, migrate=True) as database:
        platform = await linked_platform(
            database, ManualClock(), MemoryMessagingGateway(), tools=["current_time"]
        )
        yield platform


def inbound(text: str, wa_id: str) -> InboundMessage:
    return InboundMessage(session_id="shop", from_jid=USER, content=text, wa_message_id=wa_id)


async def test_one_message_one_reply(platform: Platform) -> None:
    await platform.inbound.accept(inbound("what day is today?", "W1"))
    await platform.runner.run_until_idle()
    gateway = platform.gateway
    assert isinstance(gateway, MemoryMessagingGateway)
    assert len(gateway.sent) == 1 and "2026-01-01" in gateway.sent[0].text
    async with platform.uow() as uow:
        page = await uow.messages.list_page("shop", USER, PageRequest())
    assert [(m.direction, m.status) for m in page.items] == [
        (Direction.OUTBOUND, MessageStatus.SENT),
        (Direction.INBOUND, MessageStatus.PROCESSED),
    ]


async def test_the_same_message_accepted_twice_concurrently_is_one_row_and_one_job(
    platform: Platform,
) -> None:
    results = await asyncio.gather(
        *(platform.inbound.accept(inbound("hi", "DUP")) for _ in range(2))
    )
    assert sorted(r.duplicate for r in results) == [False, True]
    async with platform.uow() as uow:
        assert await uow.messages.count() == 1
    jobs = await platform.queue.list(JobStatus.PENDING, PageRequest())
    assert sorted(j.kind for j in jobs.items) == ["index", "turn"]  # one turn, one indexing
    await platform.runner.run_until_idle()
    assert len(platform.gateway.sent) == 1  # type: ignore[attr-defined]


async def test_a_burst_is_one_turn_and_order_is_kept(platform: Platform) -> None:
    for n in range(3):
        await platform.inbound.accept(inbound(f"part {n}", f"B{n}"))
    await platform.inbound.accept(inbound("/help", "B3"))
    await platform.runner.run_until_idle()
    texts = [m.text for m in platform.gateway.sent]  # type: ignore[attr-defined]
    assert len(texts) == 2
    assert texts[0] == "(scripted demo reply) You said: part 2"  # one turn saw all three
    assert texts[1].startswith("Commands:")


async def test_two_runs_of_one_turn_at_once_make_one_reply(platform: Platform) -> None:
    """A turn run twice (a lease that ran out under a stall) must still answer once."""
    async with platform.uow() as uow:
        session = await uow.sessions.get("shop")
    for n in range(3):
        message = platform.inbound.to_message(inbound(f"part {n}", f"T{n}"), platform.clock.now())
        async with platform.uow() as uow:
            await uow.messages.add(message)
            await uow.conversations.touch(session.id, USER, platform.clock.now())
            await uow.commit()
    results = await asyncio.gather(
        platform.turns.handle("shop", USER),
        platform.turns.handle("shop", USER),
        return_exceptions=True,
    )
    replies = [r for r in results if isinstance(r, list) and r]
    assert len(replies) == 1 and len(replies[0]) == 1
    async with platform.uow() as uow:
        assert await uow.messages.count(direction=Direction.OUTBOUND) == 1
