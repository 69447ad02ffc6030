"""SQLAlchemy ``UnitOfWork``: one pooled connection, one transaction."""

from __future__ import annotations

import contextlib
from functools import cached_property
from types import TracebackType

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from wa_agents.adapters.sqlalchemy.agent_tools import SqlAlchemyToolRepository
from wa_agents.adapters.sqlalchemy.agents import SqlAlchemyAgentRepository
from wa_agents.adapters.sqlalchemy.approvals import SqlAlchemyApprovalRepository
from wa_agents.adapters.sqlalchemy.audit import SqlAlchemyAuditRepository
from wa_agents.adapters.sqlalchemy.contacts import SqlAlchemyContactRepository
from wa_agents.adapters.sqlalchemy.conversations import SqlAlchemyConversationRepository
from wa_agents.adapters.sqlalchemy.database import Database
from wa_agents.adapters.sqlalchemy.deliveries import SqlAlchemyDeliveryLog
from wa_agents.adapters.sqlalchemy.jobs import SqlAlchemyJobOutbox
from wa_agents.adapters.sqlalchemy.knowledge import SqlAlchemyKnowledgeRepository
from wa_agents.adapters.sqlalchemy.logs import SqlAlchemyLogRepository
from wa_agents.adapters.sqlalchemy.messages import SqlAlchemyMessageRepository
from wa_agents.adapters.sqlalchemy.refresh_tokens import SqlAlchemyRefreshTokenRepository
from wa_agents.adapters.sqlalchemy.sessions import SqlAlchemySessionRepository
from wa_agents.adapters.sqlalchemy.usage import SqlAlchemyUsageRepository
from wa_agents.adapters.sqlalchemy.users import SqlAlchemyUserRepository
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


class SqlAlchemyUnitOfWork(UnitOfWork):
    """Repositories are built on first use (a unit of work uses two or three of them), on the
    connection of this unit of work, which is single-use."""

    def __init__(self, database: Database, clock: Clock, ids: IdGenerator) -> None:
        self._database, self._clock, self._ids = database, clock, ids
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> SqlAlchemyUnitOfWork:
        with self._database.translated("connecting"):
            self._connection = await self._database.engine.connect()
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

    @property
    def _s(self) -> AsyncConnection:
        assert self._connection is not None, "use the unit of work inside `async with`"
        return self._connection

    @cached_property
    def users(self) -> SqlAlchemyUserRepository:
        return SqlAlchemyUserRepository(self._s)

    @cached_property
    def agents(self) -> SqlAlchemyAgentRepository:
        return SqlAlchemyAgentRepository(self._s)

    @cached_property
    def sessions(self) -> SqlAlchemySessionRepository:
        return SqlAlchemySessionRepository(self._s)

    @cached_property
    def conversations(self) -> SqlAlchemyConversationRepository:
        return SqlAlchemyConversationRepository(self._s)

    @cached_property
    def messages(self) -> SqlAlchemyMessageRepository:
        return SqlAlchemyMessageRepository(self._s)

    @cached_property
    def logs(self) -> SqlAlchemyLogRepository:
        return SqlAlchemyLogRepository(self._s)

    @cached_property
    def audit(self) -> SqlAlchemyAuditRepository:
        return SqlAlchemyAuditRepository(self._s)

    @cached_property
    def refresh_tokens(self) -> SqlAlchemyRefreshTokenRepository:
        return SqlAlchemyRefreshTokenRepository(self._s)

    @cached_property
    def deliveries(self) -> SqlAlchemyDeliveryLog:
        return SqlAlchemyDeliveryLog(self._s)

    @cached_property
    def jobs(self) -> SqlAlchemyJobOutbox:
        return SqlAlchemyJobOutbox(self._s, self._clock, self._ids)

    @cached_property
    def knowledge(self) -> SqlAlchemyKnowledgeRepository:
        return SqlAlchemyKnowledgeRepository(self._s)

    @cached_property
    def tools(self) -> SqlAlchemyToolRepository:
        return SqlAlchemyToolRepository(self._s)

    @cached_property
    def approvals(self) -> SqlAlchemyApprovalRepository:
        return SqlAlchemyApprovalRepository(self._s)

    @cached_property
    def usage(self) -> SqlAlchemyUsageRepository:
        return SqlAlchemyUsageRepository(self._s)

    @cached_property
    def contacts(self) -> SqlAlchemyContactRepository:
        return SqlAlchemyContactRepository(self._s)


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
