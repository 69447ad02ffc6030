"""Usage repository: one ``TurnUsage`` per agent turn, summed for reports and budgets.

Inside a ``UnitOfWork``. ``add`` stores a record (a second record with the same id is
``AlreadyExists``). Time windows are ``since`` inclusive, ``until`` exclusive, on
``created_at``. ``totals`` sums the records matching every filter given; ``grouped`` sums
them per agent id, session id or UTC day (``key``; records without an agent group under
``""``), ordered by key. ``for_contact`` lists a conversation's records oldest first;
``delete_contact`` removes them and returns how many it removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.usage import TurnUsage, UsageGroup, UsageRow, UsageTotals


class UsageRepository(Protocol):
    async def add(self, usage: TurnUsage) -> None: ...
    async def totals(
        self,
        *,
        agent_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> UsageTotals: ...
    async def grouped(
        self, group_by: UsageGroup, *, since: datetime | None, until: datetime | None
    ) -> list[UsageRow]: ...
    async def for_contact(
        self, session_id: str, contact_jids: Sequence[str]
    ) -> list[TurnUsage]: ...
    async def delete_contact(self, session_id: str, contact_jids: Sequence[str]) -> int: ...
