"""In-memory ``UnitOfWork``: serialised by the database lock, rolled back from a snapshot."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import Any

from wa_agents.adapters.memory.agent_tools import MemoryToolRepository
from wa_agents.adapters.memory.agents import MemoryAgentRepository
from wa_agents.adapters.memory.approvals import MemoryApprovalRepository
from wa_agents.adapters.memory.audit import MemoryAuditRepository
from wa_agents.adapters.memory.contacts import MemoryContactRepository
from wa_agents.adapters.memory.conversations import MemoryConversationRepository
from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.deliveries import MemoryDeliveryLog
from wa_agents.adapters.memory.jobs import MemoryJobOutbox
from wa_agents.adapters.memory.knowledge import MemoryKnowledgeRepository
from wa_agents.adapters.memory.logs import MemoryLogRepository
from wa_agents.adapters.memory.messages import MemoryMessageRepository
from wa_agents.adapters.memory.refresh_tokens import MemoryRefreshTokenRepository
from wa_agents.adapters.memory.sessions import MemorySessionRepository
from wa_agents.adapters.memory.usage import MemoryUsageRepository
from wa_agents.adapters.memory.users import MemoryUserRepository
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


class MemoryUnitOfWork(UnitOfWork):
    def __init__(self, db: MemoryDatabase, clock: Clock, ids: IdGenerator) -> None:
        self._db, self._clock, self._ids = db, clock, ids
        self._snapshot: dict[str, Any] | None = None

    async def __aenter__(self) -> MemoryUnitOfWork:
        await self._db.lock.acquire()
        self._snapshot = self._db.snapshot()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.rollback()
        finally:
            self._snapshot = None
            self._db.lock.release()

    async def commit(self) -> None:
        self._db.commits += 1
        self._snapshot = self._db.snapshot()

    async def rollback(self) -> None:
        if self._snapshot is not None:
            self._db.restore(self._snapshot)
            self._snapshot = self._db.snapshot()

    @cached_property
    def users(self) -> MemoryUserRepository:
        return MemoryUserRepository(self._db)

    @cached_property
    def agents(self) -> MemoryAgentRepository:
        return MemoryAgentRepository(self._db)

    @cached_property
    def sessions(self) -> MemorySessionRepository:
        return MemorySessionRepository(self._db)

    @cached_property
    def conversations(self) -> MemoryConversationRepository:
        return MemoryConversationRepository(self._db)

    @cached_property
    def messages(self) -> MemoryMessageRepository:
        return MemoryMessageRepository(self._db)

    @cached_property
    def logs(self) -> MemoryLogRepository:
        return MemoryLogRepository(self._db)

    @cached_property
    def audit(self) -> MemoryAuditRepository:
        return MemoryAuditRepository(self._db)

    @cached_property
    def refresh_tokens(self) -> MemoryRefreshTokenRepository:
        return MemoryRefreshTokenRepository(self._db)

    @cached_property
    def deliveries(self) -> MemoryDeliveryLog:
        return MemoryDeliveryLog(self._db)

    @cached_property
    def jobs(self) -> MemoryJobOutbox:
        return MemoryJobOutbox(self._db, self._clock, self._ids)

    @cached_property
    def knowledge(self) -> MemoryKnowledgeRepository:
        return MemoryKnowledgeRepository(self._db)

    @cached_property
    def tools(self) -> MemoryToolRepository:
        return MemoryToolRepository(self._db)

    @cached_property
    def approvals(self) -> MemoryApprovalRepository:
        return MemoryApprovalRepository(self._db)

    @cached_property
    def usage(self) -> MemoryUsageRepository:
        return MemoryUsageRepository(self._db)

    @cached_property
    def contacts(self) -> MemoryContactRepository:
        return MemoryContactRepository(self._db)


class MemoryUnitOfWorkFactory:
    """Makes units of work over one shared database; ``db`` is there for inspection."""

    def __init__(self, clock: Clock, ids: IdGenerator, db: MemoryDatabase | None = None) -> None:
        self.db = db if db is not None else MemoryDatabase()
        self._clock = clock
        self._ids = ids

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db, self._clock, self._ids)
