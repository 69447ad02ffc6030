"""Conversation repository, keyed by (session_id, contact_jid).

Inside a ``UnitOfWork``. ``get_or_create`` is idempotent: the first call creates the
conversation in AI mode, later calls return the stored one. ``get``/``update`` raise
``NotFound``. ``touch`` is ``get_or_create`` plus moving ``last_activity_at`` forward to
``now`` (never backwards), in one step. ``list`` orders by last activity, newest first;
``list_across`` does the same over every session (the dashboard's inbox), keeping only the
conversations that match every field given in the ``ConversationFilter`` (``contact`` is a
case-insensitive substring of the JID).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.conversation import Conversation, HandoffMode
from wa_agents.domain.model.page import Page, PageRequest


@dataclass(frozen=True, slots=True)
class ConversationFilter:
    session_id: str | None = None
    mode: HandoffMode | None = None
    contact: str | None = None


class ConversationRepository(Protocol):
    async def get_or_create(
        self, session_id: str, contact_jid: str, now: datetime
    ) -> Conversation: ...
    async def touch(self, session_id: str, contact_jid: str, now: datetime) -> Conversation: ...
    async def get(self, session_id: str, contact_jid: str) -> Conversation: ...
    async def update(self, conversation: Conversation) -> None: ...
    async def list(self, session_id: str, page: PageRequest) -> Page[Conversation]: ...
    async def list_across(
        self, where: ConversationFilter, page: PageRequest
    ) -> Page[Conversation]: ...
