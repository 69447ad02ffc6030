"""Alembic migrations on SQLite and PostgreSQL: they build the models' schema exactly, and
upgrade → downgrade → upgrade keeps every row the lower revision has a table for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from tests.support.databases import BACKENDS, database_for
from wa_agents.adapters.memory import ManualClock, SequentialIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyUnitOfWorkFactory
from wa_agents.adapters.sqlalchemy.migrations.runner import (
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from wa_agents.adapters.sqlalchemy.tables import Base
from wa_agents.testing.factories import (
    at,
    make_agent,
    make_audit,
    make_log,
    make_message,
    make_refresh_token,
    make_session,
    make_user,
)

CORE_TABLES = ("users", "agents", "sessions", "messages", "logs")
PIPELINE_TABLES = ("conversations", "audit", "refresh_tokens", "jobs")


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with database_for(request.param, tmp_path, migrate=True) as database:
        yield database


async def counts(db: Database, tables: tuple[str, ...]) -> dict[str, int]:
    async with db.engine.connect() as connection:
        return {
            name: int(
                await connection.scalar(
                    select(func.count()).select_from(Base.metadata.tables[name])
                )
                or 0
            )
            for name in tables
        }


async def fill_every_table(db: Database) -> None:
    uow = SqlAlchemyUnitOfWorkFactory(db, ManualClock(), SequentialIdGenerator("j"))
    async with uow() as u:
        user = make_user()
        agent = make_agent(tools=("current_time",))
        await u.users.add(user)
        await u.agents.add(agent)
        await u.sessions.add(make_session(id="s1", agent_id=agent.id))
        await u.messages.add(make_message(metadata={"k": [1, 2]}))
        await u.logs.add(make_log(session_id="s1"))
        await u.conversations.get_or_create("s1", "1@s.whatsapp.net", at(1))
        await u.audit.add(make_audit())
        await u.refresh_tokens.add(make_refresh_token(user_id=user.id))
        await u.jobs.enqueue("turn", {"x": 1}, key="k")
        await u.commit()


@pytest.mark.filterwarnings("ignore:.*expression-based index")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
async def test_the_migrated_schema_is_exactly_the_models(db: Database) -> None:
    async with db.engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
        )
    assert diff == []
    assert await current_revision(db.engine) == head_revision()
    assert (await db.readiness())["migrations"] == "current"


async def test_down_and_up_again_keeps_the_rows(db: Database) -> None:
    await fill_every_table(db)
    before = await counts(db, CORE_TABLES + PIPELINE_TABLES)
    assert all(n == 1 for n in before.values()), before

    await downgrade(db.engine, "0001")
    assert await current_revision(db.engine) == "0001"
    assert (await db.readiness())["migrations"] == "behind"
    assert await counts(db, CORE_TABLES) == {name: 1 for name in CORE_TABLES}
    async with db.engine.connect() as connection:
        remaining = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert remaining.isdisjoint(PIPELINE_TABLES)

    await upgrade(db.engine)
    assert await counts(db, CORE_TABLES) == {name: 1 for name in CORE_TABLES}
    await fill_again_works(db)


async def fill_again_works(db: Database) -> None:
    uow = SqlAlchemyUnitOfWorkFactory(db, ManualClock(), SequentialIdGenerator("k"))
    async with uow() as u:
        assert (await u.messages.count()) == 1
        conversation = await u.conversations.get_or_create("s1", "1@s.whatsapp.net", at(2))
        job = await u.jobs.enqueue("turn", {}, key="k")
        await u.commit()
    assert conversation.session_id == "s1" and job.status == "pending"


async def test_the_whole_chain_goes_to_base_and_back(db: Database) -> None:
    await downgrade(db.engine, "base")
    assert await current_revision(db.engine) is None
    await upgrade(db.engine)
    assert await current_revision(db.engine) == head_revision()
