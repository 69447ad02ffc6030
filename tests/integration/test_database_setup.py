"""Choosing, migrating and checking the database the way a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import postgres_database
from wa_agents.adapters.memory import ManualClock, SequentialIdGenerator
from wa_agents.adapters.sqlalchemy import DatabaseUnavailable, SqlAlchemyUnitOfWorkFactory
from wa_agents.adapters.sqlalchemy.migrations.runner import head_revision
from wa_agents.adapters.sqlalchemy.tables import Base
from wa_agents.entrypoints.container import build_container, close_resources, open_resources
from wa_agents.entrypoints.settings import load_settings

WA_AGENTS = Path(sys.executable).parent / "wa-agents"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    return subprocess.run(
        [str(WA_AGENTS), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **env},
        check=False,
    )


def test_migrate_creates_the_sqlite_file_in_the_data_dir_once(tmp_path: Path) -> None:
    first = run("migrate", WA_DATA_DIR=str(tmp_path / "data"))
    again = run("migrate", WA_DATA_DIR=str(tmp_path / "data"))
    assert (first.returncode, again.returncode) == (0, 0), first.stderr
    assert first.stdout.strip() == f"database at revision {head_revision()} (was empty)"
    assert again.stdout.strip() == f"database at revision {head_revision()}"
    assert (tmp_path / "data" / "wa_agents.db").exists()


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    result = run("migrate", WA_DATABASE_URL="postgresql+psycopg://me:hunter2@127.0.0.1:9/nowhere")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        "wa-agents: reading the schema revision failed on postgresql+psycopg://me:***@"
    )
    assert "hunter2" not in result.stderr


def test_memory_storage_has_nothing_to_migrate() -> None:
    result = run("migrate", WA_DATABASE_URL="memory")
    assert result.returncode == 0 and "nothing to migrate" in result.stdout


async def test_an_embedded_database_migrates_itself_on_start(tmp_path: Path) -> None:
    container = build_container(load_settings({"WA_DATA_DIR": str(tmp_path)}))
    await open_resources(container)
    try:
        platform = container.platform()
        agent = await platform.agents.create(name="A", model="m", system_prompt="p")
        assert (await platform.agents.get(agent.id)).name == "A"
        assert (await container.uow().readiness())["migrations"] == "current"
    finally:
        await close_resources(container)


async def test_a_server_database_behind_head_refuses_to_start() -> None:
    async with postgres_database() as database:  # created from the models, never migrated
        container = build_container(load_settings({"WA_DATABASE_URL": database.url}))
        with pytest.raises(DatabaseUnavailable, match="wa-agents migrate"):
            await open_resources(container)
        await close_resources(container)


async def test_postgres_url_forms_are_accepted() -> None:
    async with postgres_database(migrate=True) as database:
        plain = database.url.replace("postgresql+psycopg://", "postgresql://")
        container = build_container(load_settings({"WA_DATABASE_URL": plain}))
        await open_resources(container)
        try:
            assert container.database().dialect == "postgresql"
            assert (await container.uow().readiness())["migrations"] == "current"
        finally:
            await close_resources(container)


async def test_copy_database_moves_every_row_from_sqlite_to_postgres(tmp_path: Path) -> None:
    from tests.integration.test_migrations import counts, fill_every_table
    from tests.support.databases import sqlite_database

    async with sqlite_database(tmp_path, migrate=True) as source:
        await fill_every_table(source)
        async with postgres_database() as scratch:  # an empty schema to receive the copy
            target_url = scratch.url
            async with scratch.engine.begin() as connection:  # `copy-database` migrates it
                await connection.run_sync(Base.metadata.drop_all)
            result = run("copy-database", target_url, WA_DATABASE_URL=source.url)
            assert result.returncode == 0, result.stderr
            assert result.stdout.startswith(f"copied 9 rows at revision {head_revision()}")
            assert await counts(scratch, tuple(Base.metadata.tables)) == await counts(
                source, tuple(Base.metadata.tables)
            )
            again = run("copy-database", target_url, WA_DATABASE_URL=source.url)
            assert again.returncode == 1 and "not empty" in again.stderr
            uow = SqlAlchemyUnitOfWorkFactory(scratch, ManualClock(), SequentialIdGenerator("n"))
            async with uow() as u:  # the copy is a working database: new jobs get new numbers
                await u.jobs.enqueue("turn", {}, key="after-copy")
                await u.commit()


def test_copy_database_refuses_a_memory_target() -> None:
    result = run("copy-database", "memory")
    assert result.returncode == 1 and "memory keeps nothing" in result.stderr


def test_serve_refuses_an_unusable_database_in_one_line() -> None:
    result = run(
        "serve", "--port", "0", WA_DATABASE_URL="postgresql+psycopg://me:pw@127.0.0.1:9/nowhere"
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        "wa-agents: connecting failed on postgresql+psycopg://me:***@127.0.0.1:9/nowhere"
    )


async def test_serve_refuses_a_server_database_behind_head() -> None:
    async with postgres_database() as database:
        result = run("serve", "--port", "0", WA_DATABASE_URL=database.url)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "wa-agents: the database schema is not current: run `wa-agents migrate` first"
    ]


async def test_an_unreachable_database_is_a_domain_error_in_units_of_work_and_the_queue() -> None:
    from datetime import timedelta

    from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
    from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue

    database = Database("postgresql+psycopg://me:pw@127.0.0.1:9/nowhere")
    uow = SqlAlchemyUnitOfWorkFactory(database, SystemClock(), TimeOrderedIdGenerator())
    with pytest.raises(DatabaseUnavailable, match=r"me:\*\*\*@"):
        async with uow() as u:
            await u.users.count()
    with pytest.raises(DatabaseUnavailable):
        await SqlAlchemyJobQueue(database).claim(
            frozenset({"turn"}), worker_id="w", lease=timedelta(seconds=5), now=SystemClock().now()
        )
    await database.close()
