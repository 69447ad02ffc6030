"""UsageService: what the agents cost, summed per agent, session or day (``/api/v1/usage``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from wa_agents.domain.model.errors import NotFound, ValidationError
from wa_agents.domain.model.usage import UsageGroup, UsageRow, UsageTotals, month_start
from wa_agents.ports.clock import Clock
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class UsageReport:
    group_by: UsageGroup
    since: datetime
    until: datetime
    rows: list[UsageRow]
    total: UsageTotals


async def _label(uow: UnitOfWork, group_by: UsageGroup, key: str) -> str:
    try:
        if group_by == UsageGroup.AGENT:
            return (await uow.agents.get(key)).name if key else "(no agent)"
        if group_by == UsageGroup.SESSION:
            return (await uow.sessions.get(key)).display_name or key
    except NotFound:
        return f"{key} (deleted)"
    return key


class UsageService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def report(
        self,
        group_by: UsageGroup,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> UsageReport:
        """Sums from ``since`` (default: the start of this month, UTC) to ``until``
        (excluded; default: no end, reported as now)."""
        now = self._clock.now()
        since = since or month_start(now)
        if until is not None and until < since:
            raise ValidationError("'to' must not be before 'from'")
        async with self._uow() as uow:
            rows = await uow.usage.grouped(group_by, since=since, until=until)
            total = await uow.usage.totals(since=since, until=until)
            labelled = [replace(r, label=await _label(uow, group_by, r.key)) for r in rows]
        return UsageReport(group_by, since, until or now, labelled, total)
