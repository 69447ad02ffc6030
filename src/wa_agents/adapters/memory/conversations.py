"""In-memory ``ConversationRepository``."""

from __future__ import annotations

from datetime import datetime

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.conversations import ConversationFilter, ConversationRepository


def matches(c: Conversation, where: ConversationFilter) -> bool:
    return (
        where.session_id in (None, c.session_id)
        and where.mode in (None, c.mode)
        and (where.contact is None or where.contact.lower() in c.contact_jid.lower())
    )


class MemoryConversationRepository(ConversationRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._table: Table[tuple[str, str], Conversation] = Table(
            lambda: db.conversations,
            "conversation",
            lambda c: (c.session_id, c.contact_jid),
            lambda c: (c.last_activity_at, c.contact_jid, c.session_id),
        )

    async def get_or_create(self, session_id: str, contact_jid: str, now: datetime) -> Conversation:
        found = self._table.find((session_id, contact_jid))
        if found is None:
            found = Conversation(
                session_id=session_id, contact_jid=contact_jid, last_activity_at=now, created_at=now
            )
            self._table.add(found)
        return found

    async def touch(self, session_id: str, contact_jid: str, now: datetime) -> Conversation:
        touched = (await self.get_or_create(session_id, contact_jid, now)).touched(now)
        self._table.update(touched)
        return touched

    async def get(self, session_id: str, contact_jid: str) -> Conversation:
        return self._table.get((session_id, contact_jid))

    async def update(self, conversation: Conversation) -> None:
        self._table.update(conversation)

    async def list(self, session_id: str, page: PageRequest) -> Page[Conversation]:
        return self._table.page(page, lambda c: c.session_id == session_id, newest_first=True)

    async def list_across(self, where: ConversationFilter, page: PageRequest) -> Page[Conversation]:
        return self._table.page(page, lambda c: matches(c, where), newest_first=True)
