"""In-memory ``MessageRepository`` with the dedup index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.messages import MessageRepository


def _order(m: Message) -> tuple[datetime, str]:
    return (m.timestamp, m.id)


class MemoryMessageRepository(MessageRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._table: Table[str, Message] = Table(
            lambda: db.messages, "message", lambda m: m.id, _order
        )

    def _conversation(self, session_id: str, contact_jid: str) -> list[Message]:
        return sorted(
            (
                m
                for m in self._db.messages.values()
                if m.session_id == session_id and m.contact_jid == contact_jid
            ),
            key=_order,
        )

    async def add(self, message: Message) -> bool:
        if message.wa_message_id is not None:
            key = (message.session_id, message.direction.value, message.wa_message_id)
            if key in self._db.message_keys:
                return False
            self._table.add(message)
            self._db.message_keys[key] = message.id
            return True
        self._table.add(message)
        return True

    async def get(self, message_id: str) -> Message:
        return self._table.get(message_id)

    async def find_by_wa_id(
        self, session_id: str, direction: Direction, wa_message_id: str
    ) -> Message | None:
        found = self._db.message_keys.get((session_id, direction.value, wa_message_id))
        return None if found is None else self._db.messages[found]

    async def update(self, message: Message) -> None:
        old = self._table.get(message.id)
        if old.wa_message_id is not None:
            self._db.message_keys.pop((old.session_id, old.direction.value, old.wa_message_id))
        self._table.update(message)
        if message.wa_message_id is not None:
            key = (message.session_id, message.direction.value, message.wa_message_id)
            self._db.message_keys[key] = message.id

    async def mark_processed(self, message_ids: Sequence[str]) -> int:
        moved = 0
        for message_id in message_ids:
            message = self._db.messages.get(message_id)
            if message is not None and message.status == MessageStatus.RECEIVED:
                self._db.messages[message_id] = message.with_status(MessageStatus.PROCESSED)
                moved += 1
        return moved

    async def mark_sent(self, message_id: str, wa_message_id: str) -> bool:
        message = self._db.messages.get(message_id)
        if message is None or message.status != MessageStatus.QUEUED:
            return False
        await self.update(message.sent_as(wa_message_id))
        return True

    async def recent(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> list[Message]:
        rows = self._conversation(session_id, contact_jid)
        if since is not None:
            rows = [m for m in rows if m.timestamp >= since]
        return rows[-limit:] if limit > 0 else []

    async def turn_window(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> tuple[list[Message], list[Message]]:
        received = await self.with_status(
            session_id, contact_jid, Direction.INBOUND, MessageStatus.RECEIVED
        )
        return received, await self.recent(session_id, contact_jid, limit=limit, since=since)

    async def with_status(
        self, session_id: str, contact_jid: str, direction: Direction, status: MessageStatus
    ) -> list[Message]:
        return [
            m
            for m in self._conversation(session_id, contact_jid)
            if m.direction == direction and m.status == status
        ]

    async def list_page(
        self, session_id: str, contact_jid: str, page: PageRequest
    ) -> Page[Message]:
        return self._table.page(
            page,
            lambda m: m.session_id == session_id and m.contact_jid == contact_jid,
            newest_first=True,
        )

    async def last_message(self, session_id: str, contact_jid: str) -> Message | None:
        rows = self._conversation(session_id, contact_jid)
        return rows[-1] if rows else None

    async def search_text(
        self, session_id: str, contact_jid: str, query: str, *, limit: int
    ) -> list[Message]:
        needle = query.lower()
        hits = [
            m for m in self._conversation(session_id, contact_jid) if needle in m.content.lower()
        ]
        return list(reversed(hits))[:limit]

    async def count(
        self,
        *,
        direction: Direction | None = None,
        status: MessageStatus | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int:
        return sum(
            1
            for m in self._db.messages.values()
            if direction in (None, m.direction)
            and status in (None, m.status)
            and (since is None or m.timestamp >= since)
            and (until is None or m.timestamp < until)
        )

    async def unanswered(self, session_id: str, contact_jid: str) -> int:
        rows = self._conversation(session_id, contact_jid)
        sent = [m.timestamp for m in rows if m.direction == Direction.OUTBOUND]
        last = max(sent) if sent else None
        return sum(
            1
            for m in rows
            if m.direction == Direction.INBOUND and (last is None or m.timestamp > last)
        )

    async def find(self, message_id: str) -> Message | None:
        return self._table.find(message_id)

    async def unindexed(self, session_id: str, contact_jid: str, *, limit: int) -> list[Message]:
        rows = self._conversation(session_id, contact_jid)
        return [m for m in rows if m.id not in self._db.indexed_messages][:limit]

    async def mark_indexed(self, message_ids: Sequence[str]) -> int:
        fresh = {i for i in message_ids if i in self._db.messages} - set(self._db.indexed_messages)
        self._db.indexed_messages.update(dict.fromkeys(fresh, True))
        return len(fresh)

    async def mark_unindexed(self, session_id: str | None = None) -> int:
        covered = [m.id for m in self._db.messages.values() if session_id in (None, m.session_id)]
        for message_id in covered:
            self._db.indexed_messages.pop(message_id, None)
        return len(covered)
