"""``/api/v1/logs``, ``/api/v1/audit`` and ``/api/v1/stats``: read-only, for every role."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter

from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.common import aware
from wa_agents.entrypoints.http.dto.logs import AuditOut, AuditPage, LogOut, LogPage, StatsOut
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER
from wa_agents.ports.logs import AuditFilter, LogFilter

Since = Annotated[datetime | None, Parameter(description="from this time (inclusive)")]
Until = Annotated[datetime | None, Parameter(description="before this time (exclusive)")]
Word = Annotated[str | None, Parameter(max_length=200)]


class ReadController(Controller):
    tags = ("logs",)
    security = BEARER
    guards = (VIEWER,)

    @get("/api/v1/logs", responses=errors(400, 401), summary="The operational log, newest first")
    async def logs(
        self,
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
        level: FromQuery[LogLevel | None] = None,
        source: Word = None,
        session_id: Word = None,
        since: Since = None,
        until: Until = None,
    ) -> LogPage:
        where = LogFilter(
            level=level,
            source=source,
            session_id=session_id,
            since=aware(since),
            until=aware(until),
        )
        found = await platform.logs.logs(where, page)
        return LogPage([LogOut.of(e) for e in found.items], found.total, page.limit, page.offset)

    @get("/api/v1/audit", responses=errors(400, 401), summary="Who did what, newest first")
    async def audit(
        self,
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
        actor: Word = None,
        action: Word = None,
        since: Since = None,
        until: Until = None,
    ) -> AuditPage:
        where = AuditFilter(actor=actor, action=action, since=aware(since), until=aware(until))
        found = await platform.logs.audit(where, page)
        items = [AuditOut.of(e) for e in found.items]
        return AuditPage(items, found.total, page.limit, page.offset)

    @get("/api/v1/stats", responses=errors(401), summary="Counts for the dashboard")
    async def stats(self, platform: NamedDependency[Platform]) -> StatsOut:
        return StatsOut.of(await platform.stats.collect())
