"""A turn's tool definitions are kept per (agent, tools_version), never served stale: an edit
in this process or in another one (a second platform on the same database) is what the next
turn offers, on SQLite and PostgreSQL; an unchanged agent's turn reads none of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.support.databases import BACKENDS, database_for
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMessagingGateway,
    MemoryTokenService,
    Pbkdf2PasswordHasher,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform

USER = "15551230000@s.whatsapp.net"
ORDER = {"type": "object", "properties": {"order_id": {"type": "string"}}}


@dataclass
class Process:
    platform: Platform
    model: ScriptedChatModel
    database: Database


def _process(database: Database, clock: ManualClock, gateway: MemoryMessagingGateway) -> Process:
    ids, model = TimeOrderedIdGenerator(), ScriptedChatModel()
    platform = Platform(
        uow=SqlAlchemyUnitOfWorkFactory(database, clock, ids), queue=SqlAlchemyJobQueue(database),
        gateway=gateway, model=model, clock=clock, ids=ids, hasher=Pbkdf2PasswordHasher(),
        tokens=MemoryTokenService(clock), debounce_ms=0,
    )  # fmt: skip
    return Process(platform, model, database)


@dataclass
class Pair:
    here: Process  # runs the turns
    there: Process  # "another process": its own engine and caches, the same database
    agent_id: str
    clock: ManualClock
    turns: int = 0

    async def offered(self) -> list[str]:
        """Tools the model was offered in a new turn run by ``here``."""
        self.turns += 1
        self.clock.advance(timedelta(seconds=60))
        message = InboundMessage(
            session_id="shop", from_jid=USER, content="hi", wa_message_id=f"W{self.turns}"
        )
        await self.here.platform.inbound.accept(message)
        await self.here.platform.runner.run_until_idle()
        return self.here.model.calls[-1][1]


@pytest.fixture(params=BACKENDS)
async def pair(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Pair]:
    async with database_for(request.param, tmp_path, migrate=True) as database:
        other = Database(database.url)
        clock, gateway = ManualClock(), MemoryMessagingGateway()
        here, there = _process(database, clock, gateway), _process(other, clock, gateway)
        try:
            agent = await here.platform.agents.create(name="A", model="m", system_prompt="p")
            await here.platform.sessions.create("shop", agent_id=agent.id)
            gateway.connect("shop")
            await here.platform.sessions.refresh("shop")
            yield Pair(here, there, agent.id, clock)
        finally:
            await other.close()


async def test_an_edit_in_another_process_is_offered_by_the_next_turn(pair: Pair) -> None:
    tools = pair.there.platform.agent_tools
    assert "order_status" not in await pair.offered()
    tool = await tools.add_http(
        pair.agent_id, actor="op", name="order_status", description="An order",
        parameters=ORDER, method="GET", url="https://crm.example.com/orders/{order_id}",
    )  # fmt: skip
    assert "order_status" in await pair.offered()
    await tools.update_http(pair.agent_id, tool.id, actor="op", name="order_lookup")
    offered = await pair.offered()
    assert "order_lookup" in offered and "order_status" not in offered
    await tools.delete_http(pair.agent_id, tool.id, actor="op")
    assert "order_lookup" not in await pair.offered()


async def test_an_edit_in_this_process_is_offered_by_the_next_turn(pair: Pair) -> None:
    tools = pair.here.platform.agent_tools
    assert "order_status" not in await pair.offered()
    await tools.add_http(
        pair.agent_id, actor="op", name="order_status", description="An order",
        parameters=ORDER, method="GET", url="https://crm.example.com/orders/{order_id}",
    )  # fmt: skip
    assert "order_status" in await pair.offered()


async def test_an_unchanged_agents_turn_reads_no_tool_definitions(pair: Pair) -> None:
    await pair.offered()  # the first turn reads them
    read: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        read.extend(t for t in ("agent_http_tools", "agent_mcp_servers", "agent_tool_policies")
                    if f"FROM {t}" in statement)  # fmt: skip

    engine = pair.here.database.engine.sync_engine
    event.listen(engine, "after_cursor_execute", seen)
    try:
        await pair.offered()
        assert read == []
        await pair.there.platform.agent_tools.set_approval(
            pair.agent_id, "current_time", True, actor="op"
        )
        await pair.offered()
        assert sorted(read) == ["agent_http_tools", "agent_mcp_servers", "agent_tool_policies"]
    finally:
        event.remove(engine, "after_cursor_execute", seen)
