"""Message repository: the store every message passes through, in and out.

Inside a ``UnitOfWork``. ``add`` is the dedup insert: when ``wa_message_id`` is set and a
message with the same (session_id, direction, wa_message_id) exists, nothing is written and
``add`` returns False; otherwise it stores the message and returns True. Concurrent adds of the
same key leave exactly one row. ``get``/``update`` raise ``NotFound``.

``mark_processed`` moves each given message that is still RECEIVED to PROCESSED and returns
how many it moved; two concurrent callers never both move the same message (it is the claim
that makes a turn's answer exactly-once).

Ordering: ``history`` and ``recent`` return oldest first by (timestamp, id); ``list_page``
pages newest first. ``search_text`` is a case-insensitive substring match, newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.page import Page, PageRequest


class MessageRepository(Protocol):
    async def add(self, message: Message) -> bool: ...
    async def get(self, message_id: str) -> Message: ...
    async def find_by_wa_id(
        self, session_id: str, direction: Direction, wa_message_id: str
    ) -> Message | None: ...
    async def update(self, message: Message) -> None: ...
    async def mark_processed(self, message_ids: Sequence[str]) -> int: ...
    async def recent(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> list[Message]: ...
    async def with_status(
        self, session_id: str, contact_jid: str, direction: Direction, status: MessageStatus
    ) -> list[Message]: ...
    async def list_page(
        self, session_id: str, contact_jid: str, page: PageRequest
    ) -> Page[Message]: ...
    async def last_message(self, session_id: str, contact_jid: str) -> Message | None: ...
    async def search_text(
        self, session_id: str, contact_jid: str, query: str, *, limit: int
    ) -> list[Message]: ...
    async def count(self, *, direction: Direction | None = None) -> int: ...
