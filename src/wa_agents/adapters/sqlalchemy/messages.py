"""SQLAlchemy ``MessageRepository``: the dedup insert is ``ON CONFLICT DO NOTHING``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from wa_agents.adapters.sqlalchemy.base import Repository, escape_like
from wa_agents.adapters.sqlalchemy.convert import message_values, messages, to_message
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.messages import MessageRepository

m = messages.c
INSERT = insert(messages)


class SqlAlchemyMessageRepository(Repository, MessageRepository):
    def _conversation(self, session_id: str, contact_jid: str):  # type: ignore[no-untyped-def]
        return select(messages).where(m.session_id == session_id, m.contact_jid == contact_jid)

    async def add(self, message: Message) -> bool:
        if message.wa_message_id is None:
            # Our own ids are unique by construction: no savepoint round trips needed.
            try:
                await self._s.execute(INSERT, message_values(message))
            except IntegrityError as exc:
                raise AlreadyExists("message", message.id) from exc
            return True
        return await self._insert_ignore(
            messages, message_values(message), "session_id", "direction", "wa_message_id"
        )

    async def get(self, message_id: str) -> Message:
        return await self._one(
            select(messages).where(m.id == message_id), to_message, "message", message_id
        )

    async def find_by_wa_id(
        self, session_id: str, direction: Direction, wa_message_id: str
    ) -> Message | None:
        query = select(messages).where(
            m.session_id == session_id,
            m.direction == direction.value,
            m.wa_message_id == wa_message_id,
        )
        row = (await self._s.execute(query)).mappings().first()
        return None if row is None else to_message(row)

    async def update(self, message: Message) -> None:
        statement = update(messages).where(m.id == message.id).values(message_values(message))
        await self._changed(statement, "message", message.id)

    async def mark_processed(self, message_ids: Sequence[str]) -> int:
        if not message_ids:
            return 0
        statement = (
            update(messages)
            .where(m.id.in_(list(message_ids)), m.status == MessageStatus.RECEIVED.value)
            .values(status=MessageStatus.PROCESSED.value)
        )
        return int((await self._s.execute(statement)).rowcount)

    async def recent(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> list[Message]:
        if limit <= 0:
            return []
        query = self._conversation(session_id, contact_jid)
        if since is not None:
            query = query.where(m.timestamp >= since)
        rows = await self._s.execute(query.order_by(m.timestamp.desc(), m.id.desc()).limit(limit))
        return [to_message(r) for r in reversed(rows.mappings().all())]

    async def with_status(
        self, session_id: str, contact_jid: str, direction: Direction, status: MessageStatus
    ) -> list[Message]:
        query = self._conversation(session_id, contact_jid).where(
            m.direction == direction.value, m.status == status.value
        )
        rows = await self._s.execute(query.order_by(m.timestamp, m.id))
        return [to_message(r) for r in rows.mappings()]

    async def list_page(
        self, session_id: str, contact_jid: str, page: PageRequest
    ) -> Page[Message]:
        query = self._conversation(session_id, contact_jid)
        return await self._page(query, to_message, page, m.timestamp.desc(), m.id.desc())

    async def last_message(self, session_id: str, contact_jid: str) -> Message | None:
        latest = await self.recent(session_id, contact_jid, limit=1)
        return latest[0] if latest else None

    async def search_text(
        self, session_id: str, contact_jid: str, query: str, *, limit: int
    ) -> list[Message]:
        pattern = f"%{escape_like(query.lower())}%"
        statement = (
            self._conversation(session_id, contact_jid)
            .where(func.lower(m.content).like(pattern, escape="\\"))
            .order_by(m.timestamp.desc(), m.id.desc())
            .limit(limit)
        )
        return [to_message(r) for r in (await self._s.execute(statement)).mappings()]

    async def count(self, *, direction: Direction | None = None) -> int:
        query = select(func.count()).select_from(messages)
        if direction is not None:
            query = query.where(m.direction == direction.value)
        return int(await self._s.scalar(query) or 0)
