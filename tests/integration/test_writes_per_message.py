"""What one message costs the database: webhook accept, turn and send, on SQLite and PostgreSQL.

Counted with SQLAlchemy engine events on the real adapters, as ``benchmarks/probe.py`` counts
them in the server: every statement (BEGIN/COMMIT not counted, a claim that found nothing left
out as the probe leaves it out), and every COMMIT whose transaction changed a row. The count
must not grow with the conversation's history.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tests.support.databases import BACKENDS, database_for
from tests.support.sql_platform import linked_platform
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMessagingGateway,
)
from wa_agents.adapters.sqlalchemy import Database
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform

USER = "15551230000@s.whatsapp.net"
MAX_WRITE_TRANSACTIONS = 4  # issue 15's target: met
# Statements today: the webhook's accept 7 on SQLite, 5 on PostgreSQL (the session, its agent
# and the sender's aliases are one read; on PostgreSQL a coalescing enqueue, merge or insert, is
# one statement), turn + send 13 (the agent's tool definitions are kept per tools_version: an
# unchanged agent's turn reads none; the session, its agent and the conversation are one read).
# Issue 15's target is 10 in all; it is not met (see docs/performance.md), so the whole is
# held at today's count, and the target is an xfail that turns into a failure once met.
MAX_STATEMENTS = {"sqlite": 20, "postgres": 18}
TARGET_STATEMENTS = 10
FROM = re.compile(r"\sFROM\s+(\w+)")


@dataclass
class Counts:
    statements: Counter[str] = field(default_factory=Counter)
    writes: int = 0  # transactions that changed a row
    others: int = 0
    _wrote: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.statements.values())

    def after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        words = statement.split(None, 3)
        verb = words[0].upper()
        if verb == "BEGIN":
            return  # SQLite's BEGIN IMMEDIATE; psycopg's BEGIN is implicit: neither is counted
        rows = getattr(cursor, "rowcount", -1)
        label = " ".join(words[:3]) if verb in ("INSERT", "DELETE") else " ".join(words[:2])
        if verb == "SELECT":
            found = FROM.search(statement)
            label = "SELECT " + (found.group(1) if found else "-")
        if verb == "UPDATE" and "ORDER BY" in statement and "LIMIT" in statement:
            label = "claim"
            if not rows:
                return  # an empty claim: an idle worker looking, not the message's cost
        self.statements[label] += 1
        if verb in ("INSERT", "UPDATE", "DELETE") and rows and rows > 0:
            self._wrote.add(id(conn))

    def commit(self, conn: Any) -> None:
        if id(conn) in self._wrote:
            self.writes += 1
        else:
            self.others += 1
        self._wrote.discard(id(conn))

    def rollback(self, conn: Any) -> None:
        self._wrote.discard(id(conn))


@contextmanager
def counting(database: Database) -> Iterator[Counts]:
    counts, engine = Counts(), database.engine.sync_engine
    listeners = [("after_cursor_execute", counts.after), ("commit", counts.commit)]
    listeners.append(("rollback", counts.rollback))
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield counts
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)


@dataclass
class Rig:
    platform: Platform
    database: Database
    gateway: MemoryMessagingGateway
    clock: ManualClock
    backend: str


@pytest.fixture(params=BACKENDS)
async def rig(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Rig]:
    async with database_for(request.param, tmp_path, migrate=True) as database:
        clock, gateway = ManualClock(), MemoryMessagingGateway()
        platform = await linked_platform(database, clock, gateway)
        yield Rig(platform, database, gateway, clock, request.param)


async def seed_history(rig: Rig, pairs: int) -> None:
    """``pairs`` answered messages and their sent replies, written directly."""
    platform, now = rig.platform, rig.clock.now()
    async with platform.uow() as uow:
        await uow.conversations.touch("shop", USER, now)
        for n in range(pairs):
            for direction, status in (
                (Direction.INBOUND, MessageStatus.PROCESSED),
                (Direction.OUTBOUND, MessageStatus.SENT),
            ):
                old = Message(
                    id=platform.ids.new_id(), session_id="shop", contact_jid=USER,
                    direction=direction, content=f"old {n}", timestamp=now, status=status,
                    wa_message_id=f"OLD-{direction.value}-{n}",
                )  # fmt: skip
                await uow.messages.add(old)
        await uow.commit()


@dataclass
class Cost:
    accept: Counts  # the webhook's transaction
    reply: Counts  # the turn and its send

    @property
    def writes(self) -> int:
        return self.accept.writes + self.reply.writes

    @property
    def statements(self) -> Counter[str]:
        return self.accept.statements + self.reply.statements

    @property
    def total(self) -> int:
        return self.accept.total + self.reply.total

    def __str__(self) -> str:
        return (
            f"{self.writes} write transactions, {self.total} statements"
            f" (accept {self.accept.total}: {dict(self.accept.statements)};"
            f" turn + send {self.reply.total}: {dict(self.reply.statements)})"
        )


async def one_message(rig: Rig, wa_id: str, alt_jid: str | None = None) -> Cost:
    rig.clock.advance(timedelta(seconds=60))  # past any debounce and index window of earlier ones
    platform = rig.platform
    await platform.runner.run_until_idle()  # earlier work (index jobs) is not this message's
    sent = len(rig.gateway.sent)
    with counting(rig.database) as accept:
        await platform.inbound.accept(
            InboundMessage(
                session_id="shop", from_jid=USER, content="hi", wa_message_id=wa_id, alt_jid=alt_jid
            )
        )
    with counting(rig.database) as reply:
        await platform.runner.run_until_idle()
    assert len(rig.gateway.sent) == sent + 1, "one message, one reply"
    return Cost(accept, reply)


@pytest.mark.parametrize("history", [1, 30])
async def test_one_message_costs_at_most_four_write_transactions(rig: Rig, history: int) -> None:
    await seed_history(rig, history)
    await one_message(rig, "WARM")  # the first turn also creates what later ones reuse
    cost = await one_message(rig, "MEASURED")
    assert cost.writes <= MAX_WRITE_TRANSACTIONS, str(cost)
    assert (cost.accept.writes, cost.reply.writes) == (1, 3), str(cost)  # claim, turn, send
    assert cost.total <= MAX_STATEMENTS[rig.backend], str(cost)


@pytest.mark.xfail(strict=True, reason="issue 15: 18-20 statements per message, target 10")
async def test_one_message_costs_at_most_ten_statements(rig: Rig) -> None:
    await seed_history(rig, 1)
    await one_message(rig, "WARM")
    cost = await one_message(rig, "MEASURED")
    assert cost.total <= TARGET_STATEMENTS, str(cost)


async def test_the_cost_does_not_grow_with_history(rig: Rig) -> None:
    await seed_history(rig, 1)
    await one_message(rig, "WARM")
    short = await one_message(rig, "SHORT")
    await seed_history(rig, 30)
    long = await one_message(rig, "LONG")
    assert (long.writes, long.statements) == (short.writes, short.statements), (short, long)


async def test_the_senders_other_jid_costs_nothing_once_linked(rig: Rig) -> None:
    await seed_history(rig, 1)
    await one_message(rig, "WARM", alt_jid="777@lid")  # links the pair: what later ones reuse
    plain = await one_message(rig, "PLAIN")
    other = await one_message(rig, "WITH-ALT", alt_jid="777@lid")
    assert other.accept.statements == plain.accept.statements, (plain, other)
