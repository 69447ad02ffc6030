"""SQLAlchemy ``MessageRepository``: the dedup insert is ``ON CONFLICT DO NOTHING``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from wa_agents.adapters.sqlalchemy.base import Repository, escape_like
from wa_agents.adapters.sqlalchemy.convert import message_values, messages, to_message
from wa_agents.adapters.sqlalchemy.types import UtcDateTime
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.messages import MessageRepository

m = messages.c
INSERT = insert(messages)
MARK_PROCESSED = (  # the claim of a turn's messages: built once, the ids bound per call
    update(messages)
    .where(m.id.in_(bindparam("ids", expanding=True)), m.status == MessageStatus.RECEIVED.value)
    .values(status=MessageStatus.PROCESSED.value)
)
MARK_SENT = (
    update(messages)
    .where(m.id == bindparam("message_id"), m.status == MessageStatus.QUEUED.value)
    .values(status=MessageStatus.SENT.value, wa_message_id=bindparam("wa_id"))
)


def _turn_window(since: bool) -> Any:
    mine = and_(m.session_id == bindparam("s"), m.contact_jid == bindparam("c"))
    recent = select(m.id).where(mine)
    if since:
        recent = recent.where(m.timestamp >= bindparam("since", type_=UtcDateTime()))
    recent = recent.order_by(m.timestamp.desc(), m.id.desc()).limit(bindparam("limit"))
    received = and_(
        m.direction == Direction.INBOUND.value, m.status == MessageStatus.RECEIVED.value
    )
    return (
        select(messages)
        .where(mine, or_(received, m.id.in_(recent.scalar_subquery())))
        .order_by(m.timestamp, m.id)
    )


TURN_WINDOW = {False: _turn_window(False), True: _turn_window(True)}  # built once, bound per call


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
        result = await self._s.execute(MARK_PROCESSED, {"ids": list(message_ids)})
        return int(result.rowcount)

    async def mark_sent(self, message_id: str, wa_message_id: str) -> bool:
        params = {"message_id": message_id, "wa_id": wa_message_id}
        return bool((await self._s.execute(MARK_SENT, params)).rowcount)

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

    async def turn_window(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> tuple[list[Message], list[Message]]:
        """The received messages and the recent ones (a superset of each, oldest first) in one
        statement; the recent ones are then the last ``limit`` of the rows since ``since``:
        a received row outside the window ranks below all of it, so it cannot displace one."""
        params = {"s": session_id, "c": contact_jid, "limit": max(limit, 0), "since": since}
        rows = await self._s.execute(TURN_WINDOW[since is not None], params)
        found = [to_message(r) for r in rows.mappings()]
        received = [
            x
            for x in found
            if x.direction == Direction.INBOUND and x.status == MessageStatus.RECEIVED
        ]
        window = [x for x in found if since is None or x.timestamp >= since]
        return received, window[-limit:] if limit > 0 else []

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

    async def find(self, message_id: str) -> Message | None:
        row = (await self._s.execute(select(messages).where(m.id == message_id))).mappings()
        found = row.first()
        return None if found is None else to_message(found)

    async def unindexed(self, session_id: str, contact_jid: str, *, limit: int) -> list[Message]:
        query = self._conversation(session_id, contact_jid).where(m.indexed_at.is_(None))
        rows = await self._s.execute(query.order_by(m.timestamp, m.id).limit(limit))
        return [to_message(r) for r in rows.mappings()]

    async def mark_indexed(self, message_ids: Sequence[str]) -> int:
        if not message_ids:
            return 0
        statement = (
            update(messages)
            .where(m.id.in_(list(message_ids)), m.indexed_at.is_(None))
            .values(indexed_at=datetime.now(UTC))
        )
        return int((await self._s.execute(statement)).rowcount)

    async def mark_unindexed(self, session_id: str | None = None) -> int:
        statement = update(messages).values(indexed_at=None)
        if session_id is not None:
            statement = statement.where(m.session_id == session_id)
        return int((await self._s.execute(statement)).rowcount)

    async def count(
        self,
        *,
        direction: Direction | None = None,
        status: MessageStatus | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int:
        query = select(func.count()).select_from(messages)
        if direction is not None:
            query = query.where(m.direction == direction.value)
        if status is not None:
            query = query.where(m.status == status.value)
        if since is not None:
            query = query.where(m.timestamp >= since)
        if until is not None:
            query = query.where(m.timestamp < until)
        return int(await self._s.scalar(query) or 0)

    async def unanswered(self, session_id: str, contact_jid: str) -> int:
        last_sent = (
            select(func.max(m.timestamp))
            .where(
                m.session_id == session_id,
                m.contact_jid == contact_jid,
                m.direction == Direction.OUTBOUND.value,
            )
            .scalar_subquery()
        )
        query = (
            select(func.count())
            .select_from(messages)
            .where(
                m.session_id == session_id,
                m.contact_jid == contact_jid,
                m.direction == Direction.INBOUND.value,
                or_(last_sent.is_(None), m.timestamp > last_sent),
            )
        )
        return int(await self._s.scalar(query) or 0)
