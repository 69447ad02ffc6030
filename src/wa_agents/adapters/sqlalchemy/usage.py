"""SQLAlchemy ``UsageRepository``: sums are computed by the database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import to_usage, turn_usage, usage_values
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.usage import TurnUsage, UsageGroup, UsageRow, UsageTotals
from wa_agents.ports.usage import UsageRepository

c = turn_usage.c
SUMS = (
    func.count(c.id),
    func.coalesce(func.sum(c.tokens_in), 0),
    func.coalesce(func.sum(c.tokens_out), 0),
    func.coalesce(func.sum(c.cost_usd), 0.0),
)
GROUP_COLUMNS = {
    UsageGroup.AGENT: c.agent_id,
    UsageGroup.SESSION: c.session_id,
    UsageGroup.DAY: c.day,
}


def _within(query: Select[Any], since: datetime | None, until: datetime | None) -> Select[Any]:
    if since is not None:
        query = query.where(c.created_at >= since)
    if until is not None:
        query = query.where(c.created_at < until)
    return query


def _totals(row: Any) -> UsageTotals:
    return UsageTotals(int(row[0]), int(row[1]), int(row[2]), round(float(row[3]), 8))


INSERT_USAGE = insert(turn_usage)


class SqlAlchemyUsageRepository(Repository, UsageRepository):
    async def add(self, usage: TurnUsage) -> None:
        # Our own ids: a clash is a bug, not a race, so no savepoint (two round trips) per turn.
        try:
            await self._s.execute(INSERT_USAGE, usage_values(usage))
        except IntegrityError as exc:
            raise AlreadyExists("usage", usage.id) from exc

    async def totals(
        self,
        *,
        agent_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> UsageTotals:
        query = _within(select(*SUMS), since, until)
        if agent_id is not None:
            query = query.where(c.agent_id == agent_id)
        return _totals((await self._s.execute(query)).one())

    async def grouped(
        self, group_by: UsageGroup, *, since: datetime | None, until: datetime | None
    ) -> list[UsageRow]:
        key = func.coalesce(GROUP_COLUMNS[group_by], "")
        query = _within(select(key, *SUMS), since, until).group_by(key).order_by(key)
        rows = await self._s.execute(query)
        return [UsageRow(str(row[0]), _totals(row[1:])) for row in rows]

    async def for_contact(self, session_id: str, contact_jids: Sequence[str]) -> list[TurnUsage]:
        query = (
            select(turn_usage)
            .where(c.session_id == session_id, c.contact_jid.in_(list(contact_jids)))
            .order_by(c.created_at, c.id)
        )
        return [to_usage(row) for row in (await self._s.execute(query)).mappings()]

    async def delete_contact(self, session_id: str, contact_jids: Sequence[str]) -> int:
        statement = delete(turn_usage).where(
            c.session_id == session_id, c.contact_jid.in_(list(contact_jids))
        )
        return int((await self._s.execute(statement)).rowcount or 0)
