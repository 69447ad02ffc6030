"""Conversation repository, keyed by (session_id, contact_jid).

Inside a ``UnitOfWork``. ``get_or_create`` is idempotent: the first call creates the
conversation in AI mode, later calls return the stored one. ``get``/``update`` raise
``NotFound``. ``touch`` is ``get_or_create`` plus moving ``last_activity_at`` forward to
``now`` (never backwards), in one step. ``list`` orders by last activity, newest first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.page import Page, PageRequest


class ConversationRepository(Protocol):
    async def get_or_create(
        self, session_id: str, contact_jid: str, now: datetime
    ) -> Conversation: ...
    async def touch(self, session_id: str, contact_jid: str, now: datetime) -> Conversation: ...
    async def get(self, session_id: str, contact_jid: str) -> Conversation: ...
    async def update(self, conversation: Conversation) -> None: ...
    async def list(self, session_id: str, page: PageRequest) -> Page[Conversation]: ...
