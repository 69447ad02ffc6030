"""In-memory ``SessionRepository``."""

from __future__ import annotations

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session
from wa_agents.ports.sessions import InboundContext, SessionRepository


class MemorySessionRepository(SessionRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._agents = db.agents
        self._table: Table[str, Session] = Table(
            lambda: db.sessions, "session", lambda s: s.id, lambda s: s.id
        )

    async def add(self, session: Session) -> None:
        self._table.add(session)

    async def get(self, session_id: str) -> Session:
        return self._table.get(session_id)

    async def find(self, session_id: str) -> Session | None:
        return self._table.find(session_id)

    async def with_agent(self, session_id: str) -> tuple[Session, Agent | None]:
        session = self._table.get(session_id)
        agent = self._agents.get(session.agent_id) if session.agent_id else None
        return session, agent

    async def for_turn(
        self, session_id: str, contact_jid: str
    ) -> tuple[Session, Agent | None, Conversation | None]:
        session, agent = await self.with_agent(session_id)
        return session, agent, self._db.conversations.get((session_id, contact_jid))

    async def for_inbound(
        self, session_id: str, contact_jid: str, alt_jid: str | None = None
    ) -> InboundContext | None:
        session = self._table.find(session_id)
        if session is None:
            return None
        agent = self._agents.get(session.agent_id) if session.agent_id else None
        aliases = self._db.contact_aliases
        kept_alt = None if alt_jid is None else aliases.get((session_id, alt_jid), alt_jid)
        kept = aliases.get((session_id, contact_jid), contact_jid)
        return InboundContext(session, agent, kept, kept_alt)

    async def update(self, session: Session) -> None:
        self._table.update(session)

    async def delete(self, session_id: str) -> None:
        self._table.delete(session_id)

    async def list(self, page: PageRequest) -> Page[Session]:
        return self._table.page(page)
