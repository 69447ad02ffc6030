"""``/api/v1/logs``, ``/api/v1/audit`` and ``/api/v1/stats``: read-only, for every role."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter

from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.common import DATE_TIME, timestamp
from wa_agents.entrypoints.http.dto.logs import AuditOut, AuditPage, LogOut, LogPage, StatsOut
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, VIEWER
from wa_agents.ports.logs import AuditFilter, LogFilter

Since = Annotated[
    str | None,
    Parameter(description="from this time (inclusive)", max_length=40, schema_extra=DATE_TIME),
]
Until = Annotated[
    str | None,
    Parameter(description="before this time (exclusive)", max_length=40, schema_extra=DATE_TIME),
]
Word = Annotated[str | None, Parameter(max_length=200)]
Zone = Annotated[
    str,
    Parameter(max_length=64, description="IANA time zone for 'today', e.g. America/Sao_Paulo"),
]


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
            since=timestamp(since, "since"),
            until=timestamp(until, "until"),
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
        where = AuditFilter(
            actor=actor,
            action=action,
            since=timestamp(since, "since"),
            until=timestamp(until, "until"),
        )
        found = await platform.logs.audit(where, page)
        items = [AuditOut.of(e) for e in found.items]
        return AuditPage(items, found.total, page.limit, page.offset)

    @get("/api/v1/stats", responses=errors(400, 401, 422), summary="Counts for the dashboard")
    async def stats(self, platform: NamedDependency[Platform], tz: Zone = "UTC") -> StatsOut:
        try:
            zone = ZoneInfo(tz)
        except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValidationError(f"tz: unknown time zone {tz!r}") from exc
        return StatsOut.of(await platform.stats.collect(zone))
