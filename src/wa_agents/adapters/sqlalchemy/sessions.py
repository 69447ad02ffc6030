"""SQLAlchemy ``SessionRepository``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import (
    agents,
    contact_aliases,
    conversations,
    session_values,
    sessions,
    to_agent,
    to_conversation,
    to_session,
)
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session
from wa_agents.ports.sessions import InboundContext, SessionRepository

# The session and its agent in one statement (columns labelled apart: both have an id).
_COLUMNS = (
    *(c.label(f"s_{c.name}") for c in sessions.c),
    *(c.label(f"a_{c.name}") for c in agents.c),
)
_JOINED = sessions.outerjoin(agents, agents.c.id == sessions.c.agent_id)
WITH_AGENT = select(*_COLUMNS).select_from(_JOINED).where(sessions.c.id == bindparam("session_id"))
# ... and the contact's conversation: the whole of a turn's read but its messages.
_OF_CONTACT = and_(
    conversations.c.session_id == sessions.c.id,
    conversations.c.contact_jid == bindparam("contact_jid"),
)
FOR_TURN = (
    select(*_COLUMNS, *(c.label(f"c_{c.name}") for c in conversations.c))
    .select_from(_JOINED.outerjoin(conversations, _OF_CONTACT))
    .where(sessions.c.id == bindparam("session_id"))
)

# ... and the JIDs an inbound message's sender is kept under: what storing it starts from.
_SENDER, _ALT = contact_aliases.alias("sender"), contact_aliases.alias("alt")
_ALIASED = _JOINED.outerjoin(
    _SENDER, and_(_SENDER.c.session_id == sessions.c.id, _SENDER.c.alias_jid == bindparam("jid"))
).outerjoin(_ALT, and_(_ALT.c.session_id == sessions.c.id, _ALT.c.alias_jid == bindparam("alt")))
FOR_INBOUND = (
    select(*_COLUMNS, _SENDER.c.contact_jid.label("kept"), _ALT.c.contact_jid.label("kept_alt"))
    .select_from(_ALIASED)
    .where(sessions.c.id == bindparam("session_id"))
)


def _part(row: Any, prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}


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

    async def with_agent(self, session_id: str) -> tuple[Session, Agent | None]:
        params = {"session_id": session_id}
        row = (await self._s.execute(WITH_AGENT, params)).mappings().first()
        if row is None:
            raise NotFound("session", session_id)
        agent = _part(row, "a_")
        return to_session(_part(row, "s_")), None if agent["id"] is None else to_agent(agent)

    async def for_turn(
        self, session_id: str, contact_jid: str
    ) -> tuple[Session, Agent | None, Conversation | None]:
        params = {"session_id": session_id, "contact_jid": contact_jid}
        row = (await self._s.execute(FOR_TURN, params)).mappings().first()
        if row is None:
            raise NotFound("session", session_id)
        agent, conversation = _part(row, "a_"), _part(row, "c_")
        return (
            to_session(_part(row, "s_")),
            None if agent["id"] is None else to_agent(agent),
            None if conversation["session_id"] is None else to_conversation(conversation),
        )

    async def for_inbound(
        self, session_id: str, contact_jid: str, alt_jid: str | None = None
    ) -> InboundContext | None:
        params = {"session_id": session_id, "jid": contact_jid, "alt": alt_jid}
        row = (await self._s.execute(FOR_INBOUND, params)).mappings().first()
        if row is None:
            return None
        agent = _part(row, "a_")
        kept_alt = None if alt_jid is None else row["kept_alt"] or alt_jid
        return InboundContext(
            to_session(_part(row, "s_")),
            None if agent["id"] is None else to_agent(agent),
            row["kept"] or contact_jid,
            kept_alt,
        )

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
