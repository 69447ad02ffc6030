"""Message repository: the store every message passes through, in and out.

Inside a ``UnitOfWork``. ``add`` is the dedup insert: when ``wa_message_id`` is set and a
message with the same (session_id, direction, wa_message_id) exists, nothing is written and
``add`` returns False; otherwise it stores the message and returns True. Concurrent adds of the
same key leave exactly one row. ``get``/``update`` raise ``NotFound``.

``mark_processed`` moves each given message that is still RECEIVED to PROCESSED and returns
how many it moved; two concurrent callers never both move the same message (it is the claim
that makes a turn's answer exactly-once).
``mark_sent`` records a delivered reply in one write: the message moves from QUEUED to SENT
with its WhatsApp id; it returns False (and changes nothing) when the message is gone or no
longer QUEUED.

``turn_window`` is what a turn reads, in one statement: the conversation's inbound messages
still RECEIVED (as ``with_status``) and its ``recent`` messages (with ``limit`` and ``since``).

Ordering: ``history`` and ``recent`` return oldest first by (timestamp, id); ``list_page``
pages newest first. ``search_text`` is a case-insensitive substring match, newest first.

``count`` counts the messages matching every filter given (``since`` inclusive).
``unanswered`` counts a conversation's inbound messages newer than its last outbound one
(all of them when nothing was ever sent): what the dashboard shows as unread.
Indexing marks (for the vector index): a new message is not indexed. ``unindexed`` returns
up to ``limit`` not-yet-indexed messages of a conversation, oldest first; ``mark_indexed``
marks the given ones and returns how many it changed; ``mark_unindexed`` clears the mark of
every message (of one session, when given) so a rebuild indexes them again, and returns how
many messages that covers. ``find`` is ``get`` that returns None instead of raising.
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
    async def mark_sent(self, message_id: str, wa_message_id: str) -> bool: ...
    async def recent(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> list[Message]: ...
    async def turn_window(
        self, session_id: str, contact_jid: str, *, limit: int, since: datetime | None = None
    ) -> tuple[list[Message], list[Message]]: ...
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
    async def count(
        self,
        *,
        direction: Direction | None = None,
        status: MessageStatus | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> int: ...
    async def unanswered(self, session_id: str, contact_jid: str) -> int: ...
    async def find(self, message_id: str) -> Message | None: ...
    async def unindexed(
        self, session_id: str, contact_jid: str, *, limit: int
    ) -> list[Message]: ...
    async def mark_indexed(self, message_ids: Sequence[str]) -> int: ...
    async def mark_unindexed(self, session_id: str | None = None) -> int: ...
