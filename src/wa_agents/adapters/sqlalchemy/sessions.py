"""SQLAlchemy ``SessionRepository``."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import session_values, sessions, to_session
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session
from wa_agents.ports.sessions import SessionRepository


class SqlAlchemySessionRepository(Repository, SessionRepository):
    async def add(self, session: Session) -> None:
        await self._insert_unique(
            insert(sessions).values(session_values(session)), "session", session.id
        )

    async def get(self, session_id: str) -> Session:
        query = select(sessions).where(sessions.c.id == session_id)
        return await self._one(query, to_session, "session", session_id)

    async def find(self, session_id: str) -> Session | None:
        row = (
            (await self._s.execute(select(sessions).where(sessions.c.id == session_id)))
            .mappings()
            .first()
        )
        return None if row is None else to_session(row)

    async def update(self, session: Session) -> None:
        statement = (
            update(sessions).where(sessions.c.id == session.id).values(session_values(session))
        )
        await self._changed(statement, "session", session.id)

    async def delete(self, session_id: str) -> None:
        await self._changed(
            delete(sessions).where(sessions.c.id == session_id), "session", session_id
        )

    async def list(self, page: PageRequest) -> Page[Session]:
        return await self._page(select(sessions), to_session, page, sessions.c.id)
