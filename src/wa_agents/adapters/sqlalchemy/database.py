"""The database handle: one engine, its session factory, migrations and readiness.

SQLite (the embedded default): WAL, foreign keys on, a busy timeout, and every transaction
opened with ``BEGIN IMMEDIATE`` so writers queue instead of failing half way (and two worker
processes can never claim the same job). PostgreSQL: ``postgresql+psycopg://…``, pooled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    create_async_engine,
)

from wa_agents.adapters.sqlalchemy.nul import json_serializer, strip_nul_parameters
from wa_agents.adapters.sqlalchemy.tables import Base
from wa_agents.domain.model.errors import InfrastructureError, ValidationError

SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseUnavailable(InfrastructureError):
    """The database cannot be reached or used."""


class UnstorableValue(ValidationError):
    """The database refused a value (too long, out of range, malformed): the caller's data is
    wrong, the database is fine, so a 422 and never a 503."""


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{(data_dir / 'wa_agents.db').resolve()}"


def _normalise(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Owns the engine. ``open``/``close`` belong to the host's lifespan; nothing at import."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 10, **engine_args: Any
    ) -> None:
        self.url = _normalise(url)
        self.dialect = make_url(self.url).get_backend_name()
        if self.dialect == "sqlite":
            path = make_url(self.url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        else:
            engine_args.setdefault("pool_size", pool_size)
            engine_args.setdefault("max_overflow", pool_size)
            engine_args.setdefault("pool_recycle", 1800)
        # Every unit of work and queue call ends its own transaction, so the pool's
        # reset-on-return ROLLBACK would only add a round trip per transaction.
        engine_args.setdefault("pool_reset_on_return", None)
        engine_args.setdefault("json_serializer", json_serializer)
        self.engine = create_async_engine(self.url, echo=echo, **engine_args)
        strip_nul_parameters(self.engine)
        if self.dialect == "sqlite":
            _tune_sqlite(self.engine)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction, committed on success; errors as domain errors."""
        with self.translated("a database transaction"):
            async with self.engine.begin() as connection:
                yield connection

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        with self.translated("a database read"):
            async with self.engine.connect() as connection:
                yield connection

    async def create_all(self) -> None:
        """Create the schema directly from the models (tests); production uses ``migrate``."""
        async with self.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)

    async def migrate(self, revision: str = "head") -> None:
        from wa_agents.adapters.sqlalchemy.migrations.runner import upgrade

        with self.translated("migrating"):
            await upgrade(self.engine, revision)

    async def revision(self) -> str | None:
        from wa_agents.adapters.sqlalchemy.migrations.runner import current_revision

        with self.translated("reading the schema revision"):
            return await current_revision(self.engine)

    @contextmanager
    def translated(self, doing: str) -> Iterator[None]:
        """Database failures leave as ``DatabaseUnavailable`` (password hidden), never raw."""
        try:
            yield
        except DataError as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            raise UnstorableValue(f"a value cannot be stored: {reason}") from exc
        except (DBAPIError, OSError) as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            where = make_url(self.url).render_as_string(hide_password=True)
            raise DatabaseUnavailable(f"{doing} failed on {where}: {reason}") from exc

    async def readiness(self) -> dict[str, object]:
        """``{"database": True, "migrations": "current"|"behind"}``; raises when unreachable."""
        from wa_agents.adapters.sqlalchemy.migrations.runner import is_current

        with self.translated("connecting"):
            current = await is_current(self.engine)
        return {"database": True, "migrations": "current" if current else "behind"}

    async def close(self) -> None:
        await self.engine.dispose()
