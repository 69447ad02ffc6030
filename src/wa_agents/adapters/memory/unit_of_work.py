"""In-memory ``UnitOfWork``: serialised by the database lock, rolled back from a snapshot."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from wa_agents.adapters.memory.agents import MemoryAgentRepository
from wa_agents.adapters.memory.audit import MemoryAuditRepository
from wa_agents.adapters.memory.conversations import MemoryConversationRepository
from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.jobs import MemoryJobOutbox
from wa_agents.adapters.memory.logs import MemoryLogRepository
from wa_agents.adapters.memory.messages import MemoryMessageRepository
from wa_agents.adapters.memory.refresh_tokens import MemoryRefreshTokenRepository
from wa_agents.adapters.memory.sessions import MemorySessionRepository
from wa_agents.adapters.memory.users import MemoryUserRepository
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


class MemoryUnitOfWork(UnitOfWork):
    def __init__(self, db: MemoryDatabase, clock: Clock, ids: IdGenerator) -> None:
        self._db = db
        self._snapshot: dict[str, Any] | None = None
        self.users = MemoryUserRepository(db)
        self.agents = MemoryAgentRepository(db)
        self.sessions = MemorySessionRepository(db)
        self.conversations = MemoryConversationRepository(db)
        self.messages = MemoryMessageRepository(db)
        self.logs = MemoryLogRepository(db)
        self.audit = MemoryAuditRepository(db)
        self.refresh_tokens = MemoryRefreshTokenRepository(db)
        self.jobs = MemoryJobOutbox(db, clock, ids)

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


class MemoryUnitOfWorkFactory:
    """Makes units of work over one shared database; ``db`` is there for inspection."""

    def __init__(self, clock: Clock, ids: IdGenerator, db: MemoryDatabase | None = None) -> None:
        self.db = db if db is not None else MemoryDatabase()
        self._clock = clock
        self._ids = ids

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db, self._clock, self._ids)
