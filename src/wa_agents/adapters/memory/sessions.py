"""In-memory ``SessionRepository``."""

from __future__ import annotations

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session
from wa_agents.ports.sessions import SessionRepository


class MemorySessionRepository(SessionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._table: Table[str, Session] = Table(
            lambda: db.sessions, "session", lambda s: s.id, lambda s: s.id
        )

    async def add(self, session: Session) -> None:
        self._table.add(session)

    async def get(self, session_id: str) -> Session:
        return self._table.get(session_id)

    async def find(self, session_id: str) -> Session | None:
        return self._table.find(session_id)

    async def update(self, session: Session) -> None:
        self._table.update(session)

    async def delete(self, session_id: str) -> None:
        self._table.delete(session_id)

    async def list(self, page: PageRequest) -> Page[Session]:
        return self._table.page(page)
