"""Group commit on real databases (SQLite and PostgreSQL): concurrent webhook deliveries
share transactions, a poison delivery fails alone, duplicates inside one batch are stored
once. Transactions are counted with SQLAlchemy's engine events: a transaction that inserted
a message row and committed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.support.attack_api import attack_api
from tests.support.databases import BACKENDS, database_for
from tests.support.webhooks import SECRET, signed_headers, text_message
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryMessagingGateway,
    MemoryTokenService,
    Pbkdf2PasswordHasher,
    TimeOrderedIdGenerator,
)
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.bridge_reports import MessageEvent, ReceiptEvent
from wa_agents.domain.services.group_commit import GroupCommitSettings
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.unit_of_work import UnitOfWork


class MessageCommits:
    """Counts committed transactions that inserted into ``messages`` (engine events)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self._writing: set[int] = set()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO MESSAGES"):
            self._writing.add(id(conn))

    def _commit(self, conn: Any) -> None:
        if id(conn) in self._writing:
            self._writing.discard(id(conn))
            self.count += 1

    def _rollback(self, conn: Any) -> None:
        self._writing.discard(id(conn))


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with database_for(request.param, tmp_path, migrate=True) as database:
        yield database


def make_platform(database: Database, batch: int = 64, in_flight: int = 1) -> Platform:
    clock, ids = ManualClock(), TimeOrderedIdGenerator()
    return Platform(
        uow=SqlAlchemyUnitOfWorkFactory(database, clock, ids),
        queue=SqlAlchemyJobQueue(database),
        gateway=MemoryMessagingGateway(), model=ScriptedChatModel(), clock=clock, ids=ids,
        hasher=Pbkdf2PasswordHasher(), tokens=MemoryTokenService(clock),
        group_commit=GroupCommitSettings(max_batch=batch, in_flight=in_flight),
    )  # fmt: skip


def contact(n: int) -> str:
    return f"1555000{n:04d}@s.whatsapp.net"


def message(n: int, *, session: str = "shop", wa_id: str | None = None) -> MessageEvent:
    inbound = InboundMessage(
        session_id=session,
        from_jid=contact(n),
        content=f"hello {n}",
        wa_message_id=wa_id or f"WA-{n}",
    )
    return MessageEvent(inbound)


async def stored(platform: Platform, contacts: int = 40) -> list[str]:
    """The inbound messages of the first ``contacts`` contacts."""
    async with platform.uow() as uow:
        found = [await uow.messages.recent("shop", contact(n), limit=10) for n in range(contacts)]
    return sorted(m.content for ms in found for m in ms if m.direction == Direction.INBOUND)


async def test_concurrent_deliveries_commit_in_fewer_transactions(database: Database) -> None:
    platform = make_platform(database)
    commits = MessageCommits(database.engine.sync_engine)
    events = platform.bridge_events
    outcomes = await asyncio.gather(*(events.deliver(f"evt-{n}", message(n)) for n in range(40)))
    assert outcomes == ["stored"] * 40
    assert await stored(platform) == sorted(f"hello {n}" for n in range(40))
    assert commits.count < 40 / 4  # 40 messages, at most 64 a batch: a handful of commits
    async with platform.uow() as uow:
        assert all([await uow.deliveries.seen(f"evt-{n}") for n in range(40)])


async def test_batch_size_one_commits_each_delivery_alone(database: Database) -> None:
    platform = make_platform(database, batch=1)
    commits = MessageCommits(database.engine.sync_engine)
    events = platform.bridge_events
    await asyncio.gather(*(events.deliver(f"evt-{n}", message(n)) for n in range(6)))
    assert commits.count == 6


async def test_a_poison_delivery_fails_alone_and_its_neighbours_are_stored(
    database: Database,
) -> None:
    platform = make_platform(database)
    events = platform.bridge_events
    await platform.sessions.create("shop")

    async def database_error(uow: UnitOfWork) -> None:  # aborts a PostgreSQL transaction
        now = platform.clock.now()
        await uow.sessions.add(Session(id="shop", created_at=now, updated_at=now))

    results = await asyncio.gather(
        *(events.deliver(f"evt-{n}", message(n)) for n in range(4)),
        events.deliver("evt-bad", message(4, session="../etc")),  # refused: a 4xx
        platform.commits.run(database_error),
        *(events.deliver(f"evt-{n}", message(n)) for n in range(5, 9)),
        return_exceptions=True,
    )
    assert isinstance(results[4], ValidationError)
    assert isinstance(results[5], Exception) and not isinstance(results[5], ValidationError)
    assert list(results[:4] + results[6:]) == ["stored"] * 8
    assert await stored(platform) == sorted(f"hello {n}" for n in (0, 1, 2, 3, 5, 6, 7, 8))
    async with platform.uow() as uow:
        assert not await uow.deliveries.seen("evt-bad")  # redelivered, it is tried again


async def test_duplicates_inside_one_batch_are_stored_once(database: Database) -> None:
    platform = make_platform(database)
    events = platform.bridge_events
    outcomes = await asyncio.gather(
        events.deliver("evt-1", message(1)),
        events.deliver("evt-1", message(1)),  # the same delivery twice
        events.deliver("evt-2", message(1)),  # the same WhatsApp message, another delivery
        events.deliver("", message(1)),  # and once more by the zapw route (no id)
        events.deliver("evt-3", message(3)),
    )
    assert list(outcomes) == ["stored", "duplicate", "duplicate", "duplicate", "stored"]
    assert await stored(platform) == ["hello 1", "hello 3"]
    # the same answers as a redelivery after the batch
    assert await events.deliver("evt-1", message(1)) == "duplicate"
    assert await events.deliver("evt-4", message(1)) == "duplicate"


async def test_a_receipt_for_a_message_stored_earlier_in_the_batch_applies(
    database: Database,
) -> None:
    platform = make_platform(database)
    events = platform.bridge_events
    owner = MessageEvent(message(7, wa_id="OWN-1").inbound, from_me=True)
    outcomes = await asyncio.gather(
        events.deliver("evt-own", owner),
        events.deliver("evt-read", ReceiptEvent("shop", "OWN-1", MessageStatus.READ)),
    )
    assert list(outcomes) == ["stored", "applied"]
    async with platform.uow() as uow:
        found = await uow.messages.find_by_wa_id("shop", Direction.OUTBOUND, "OWN-1")
    assert found is not None and found.status == MessageStatus.READ


@contextmanager
def served(backend: str, tmp_path: Path) -> Iterator[Any]:
    settings = {
        "webhook_secrets": (SECRET,),
        "debounce_ms": 60_000,  # no turn runs during the burst
        "group_commit_batch": 32,
        "group_commit_window_ms": 20,
    }
    with attack_api(backend, tmp_path, **settings) as api:
        yield api


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_webhooks_over_http_share_commits_and_each_is_answered(
    backend: str, tmp_path: Path
) -> None:
    with served(backend, tmp_path) as api:
        commits = MessageCommits(api.container.database().engine.sync_engine)
        bodies = [
            text_message("shop", f"1555100{n:04d}@s.whatsapp.net", f"hi {n}", f"H-{n}")
            for n in range(32)
        ]

        def post(n: int) -> tuple[int, str]:
            with httpx.Client(base_url=api.url, timeout=30) as client:
                body = bodies[n % 32]
                answer = client.post(
                    "/webhooks/bridge", content=body, headers=signed_headers(body, f"h-{n}")
                )
                return answer.status_code, answer.json()["status"]

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(post, range(40)))  # the last 8 repeat messages 0..7
        assert [code for code, _ in answers] == [200] * 40
        assert sorted(status for _, status in answers) == ["duplicate"] * 8 + ["stored"] * 32
        assert commits.count < 32  # (PostgreSQL: 2 batches in flight take what comes)
