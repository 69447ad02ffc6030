"""Operational log and audit repositories (append-only).

Inside a ``UnitOfWork``. ``query`` filters on every given field (``since`` inclusive,
``until`` exclusive) and pages newest first by (timestamp, id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.model.page import Page, PageRequest


@dataclass(frozen=True, slots=True, kw_only=True)
class LogFilter:
    level: LogLevel | None = None
    source: str | None = None
    session_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class LogRepository(Protocol):
    async def add(self, entry: LogEntry) -> None: ...
    async def query(self, where: LogFilter, page: PageRequest) -> Page[LogEntry]: ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...
    async def query(self, where: AuditFilter, page: PageRequest) -> Page[AuditEntry]: ...
