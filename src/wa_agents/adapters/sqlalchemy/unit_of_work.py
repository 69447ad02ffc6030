"""SQLAlchemy ``UnitOfWork``: one pooled connection, one transaction."""

from __future__ import annotations

import contextlib
from types import TracebackType

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from wa_agents.adapters.sqlalchemy.agents import SqlAlchemyAgentRepository
from wa_agents.adapters.sqlalchemy.audit import SqlAlchemyAuditRepository
from wa_agents.adapters.sqlalchemy.conversations import SqlAlchemyConversationRepository
from wa_agents.adapters.sqlalchemy.database import Database
from wa_agents.adapters.sqlalchemy.jobs import SqlAlchemyJobOutbox
from wa_agents.adapters.sqlalchemy.logs import SqlAlchemyLogRepository
from wa_agents.adapters.sqlalchemy.messages import SqlAlchemyMessageRepository
from wa_agents.adapters.sqlalchemy.refresh_tokens import SqlAlchemyRefreshTokenRepository
from wa_agents.adapters.sqlalchemy.sessions import SqlAlchemySessionRepository
from wa_agents.adapters.sqlalchemy.users import SqlAlchemyUserRepository
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    def __init__(self, database: Database, clock: Clock, ids: IdGenerator) -> None:
        self._database, self._clock, self._ids = database, clock, ids
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> SqlAlchemyUnitOfWork:
        with self._database.translated("connecting"):
            self._connection = s = await self._database.engine.connect()
        self.users = SqlAlchemyUserRepository(s)
        self.agents = SqlAlchemyAgentRepository(s)
        self.sessions = SqlAlchemySessionRepository(s)
        self.conversations = SqlAlchemyConversationRepository(s)
        self.messages = SqlAlchemyMessageRepository(s)
        self.logs = SqlAlchemyLogRepository(s)
        self.audit = SqlAlchemyAuditRepository(s)
        self.refresh_tokens = SqlAlchemyRefreshTokenRepository(s)
        self.jobs = SqlAlchemyJobOutbox(s, self._clock, self._ids)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is None:
            return
        try:
            with contextlib.suppress(DBAPIError):  # a broken connection cannot roll back
                await self._connection.rollback()
        finally:
            await self._connection.close()
            self._connection = None
        if isinstance(exc, DBAPIError):
            with self._database.translated("a unit of work"):
                raise exc

    async def commit(self) -> None:
        assert self._connection is not None, "use the unit of work inside `async with`"
        await self._connection.commit()

    async def rollback(self) -> None:
        assert self._connection is not None, "use the unit of work inside `async with`"
        await self._connection.rollback()


class SqlAlchemyUnitOfWorkFactory:
    """Makes units of work over one ``Database``; ``database`` is there for lifecycle calls."""

    def __init__(self, database: Database, clock: Clock, ids: IdGenerator) -> None:
        self.database = database
        self._clock = clock
        self._ids = ids

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.database, self._clock, self._ids)

    async def readiness(self) -> dict[str, object]:
        return await self.database.readiness()
