"""SQLAlchemy ``ConversationRepository``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wa_agents.adapters.sqlalchemy.base import Repository, escape_like
from wa_agents.adapters.sqlalchemy.convert import (
    conversation_values,
    conversations,
    to_conversation,
)
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.conversations import ConversationFilter, ConversationRepository

c = conversations.c
_TOUCH: dict[str, Any] = {}


def _touch(dialect: str) -> Any:
    """One upsert: create the conversation, or move its activity time forward; return it."""
    if dialect not in _TOUCH:
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(conversations)
        later = case(
            (
                statement.excluded.last_activity_at > c.last_activity_at,
                statement.excluded.last_activity_at,
            ),
            else_=c.last_activity_at,
        )
        _TOUCH[dialect] = statement.on_conflict_do_update(
            index_elements=["session_id", "contact_jid"], set_={"last_activity_at": later}
        ).returning(*conversations.c)
    return _TOUCH[dialect]


ONE_CONVERSATION = select(conversations).where(
    c.session_id == bindparam("session_id"), c.contact_jid == bindparam("contact_jid")
)


class SqlAlchemyConversationRepository(Repository, ConversationRepository):
    async def get_or_create(self, session_id: str, contact_jid: str, now: datetime) -> Conversation:
        params = {"session_id": session_id, "contact_jid": contact_jid}
        row = (await self._s.execute(ONE_CONVERSATION, params)).mappings().first()
        if row is not None:  # nearly always (the webhook made it): one statement, not two
            return to_conversation(row)
        fresh = Conversation(
            session_id=session_id, contact_jid=contact_jid, last_activity_at=now, created_at=now
        )
        await self._insert_ignore(
            conversations, conversation_values(fresh), "session_id", "contact_jid"
        )
        return await self.get(session_id, contact_jid)

    async def touch(self, session_id: str, contact_jid: str, now: datetime) -> Conversation:
        fresh = Conversation(
            session_id=session_id, contact_jid=contact_jid, last_activity_at=now, created_at=now
        )
        row = (
            (await self._s.execute(_touch(self._s.dialect.name), conversation_values(fresh)))
            .mappings()
            .one()
        )
        return to_conversation(row)

    async def get(self, session_id: str, contact_jid: str) -> Conversation:
        query = select(conversations).where(
            c.session_id == session_id, c.contact_jid == contact_jid
        )
        return await self._one(query, to_conversation, "conversation", (session_id, contact_jid))

    async def update(self, conversation: Conversation) -> None:
        statement = (
            update(conversations)
            .where(
                c.session_id == conversation.session_id, c.contact_jid == conversation.contact_jid
            )
            .values(conversation_values(conversation))
        )
        await self._changed(statement, "conversation", conversation.key)

    async def list(self, session_id: str, page: PageRequest) -> Page[Conversation]:
        query = select(conversations).where(c.session_id == session_id)
        return await self._page(
            query, to_conversation, page, c.last_activity_at.desc(), c.contact_jid.desc()
        )

    async def list_across(self, where: ConversationFilter, page: PageRequest) -> Page[Conversation]:
        query = select(conversations)
        if where.session_id is not None:
            query = query.where(c.session_id == where.session_id)
        if where.mode is not None:
            query = query.where(c.mode == where.mode.value)
        if where.contact:
            pattern = f"%{escape_like(where.contact.lower())}%"
            query = query.where(func.lower(c.contact_jid).like(pattern, escape="\\"))
        return await self._page(
            query,
            to_conversation,
            page,
            c.last_activity_at.desc(),
            c.contact_jid.desc(),
            c.session_id.desc(),
        )
