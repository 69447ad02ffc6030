"""Real databases for tests: a temp-file SQLite, and a private schema on the PostgreSQL server.

PostgreSQL tests read ``WA_TEST_POSTGRES_URL``. Without it they skip with the reason; with
``WA_TEST_REQUIRE_POSTGRES=1`` (as CI sets) a missing or unreachable server fails instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from wa_agents.adapters.sqlalchemy import Database

BACKENDS = ["sqlite", "postgres"]


def postgres_url() -> str:
    url = os.environ.get("WA_TEST_POSTGRES_URL")
    if url:
        return url
    reason = "PostgreSQL tests need WA_TEST_POSTGRES_URL (postgresql+psycopg://user@host:port/db)"
    if os.environ.get("WA_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason + ", and WA_TEST_REQUIRE_POSTGRES=1 forbids skipping")
    pytest.skip(reason)


@asynccontextmanager
async def postgres_database(
    *, migrate: bool = False, pool_size: int = 5
) -> AsyncIterator[Database]:
    """A fresh schema of its own on the server, dropped afterwards."""
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(url)
    try:
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        await admin.dispose()
        if os.environ.get("WA_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL at WA_TEST_POSTGRES_URL is unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    # The schema travels in the URL, so a worker process given only the URL lands in it too.
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(scoped.render_as_string(hide_password=False), pool_size=pool_size)
    try:
        await (database.migrate() if migrate else database.create_all())
        yield database
    finally:
        await database.close()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def sqlite_database(directory: Path, *, migrate: bool = False) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{directory / 'test.db'}")
    try:
        await (database.migrate() if migrate else database.create_all())
        yield database
    finally:
        await database.close()


@asynccontextmanager
async def database_for(
    backend: str, directory: Path, *, migrate: bool = False
) -> AsyncIterator[Database]:
    if backend == "postgres":
        async with postgres_database(migrate=migrate) as database:
            yield database
    else:
        async with sqlite_database(directory, migrate=migrate) as database:
            yield database
