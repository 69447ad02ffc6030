"""In-memory ``UsageRepository``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.usage import TurnUsage, UsageGroup, UsageRow, UsageTotals
from wa_agents.ports.usage import UsageRepository


def summed(records: Iterable[TurnUsage]) -> UsageTotals:
    turns = tokens_in = tokens_out = 0
    cost = 0.0
    for r in records:
        turns, tokens_in, tokens_out = turns + 1, tokens_in + r.tokens_in, tokens_out + r.tokens_out
        cost += r.cost_usd
    return UsageTotals(turns, tokens_in, tokens_out, round(cost, 8))


def _key(record: TurnUsage, group_by: UsageGroup) -> str:
    if group_by == UsageGroup.AGENT:
        return record.agent_id or ""
    if group_by == UsageGroup.SESSION:
        return record.session_id
    return record.day


class MemoryUsageRepository(UsageRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    def _window(self, since: datetime | None, until: datetime | None) -> list[TurnUsage]:
        return [
            r
            for r in self._db.usage.values()
            if (since is None or r.created_at >= since) and (until is None or r.created_at < until)
        ]

    async def add(self, usage: TurnUsage) -> None:
        if usage.id in self._db.usage:
            raise AlreadyExists("usage", usage.id)
        self._db.usage[usage.id] = usage

    async def totals(
        self,
        *,
        agent_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> UsageTotals:
        window = self._window(since, until)
        return summed(r for r in window if agent_id is None or r.agent_id == agent_id)

    async def grouped(
        self, group_by: UsageGroup, *, since: datetime | None, until: datetime | None
    ) -> list[UsageRow]:
        groups: dict[str, list[TurnUsage]] = {}
        for record in self._window(since, until):
            groups.setdefault(_key(record, group_by), []).append(record)
        return [UsageRow(key, summed(groups[key])) for key in sorted(groups)]

    async def for_contact(self, session_id: str, contact_jids: Sequence[str]) -> list[TurnUsage]:
        found = [
            r
            for r in self._db.usage.values()
            if r.session_id == session_id and r.contact_jid in contact_jids
        ]
        return sorted(found, key=lambda r: (r.created_at, r.id))

    async def delete_contact(self, session_id: str, contact_jids: Sequence[str]) -> int:
        doomed = [r.id for r in await self.for_contact(session_id, contact_jids)]
        for usage_id in doomed:
            del self._db.usage[usage_id]
        return len(doomed)
