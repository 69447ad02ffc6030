"""LogService: the operational log the dashboard reads (beside the process's own logging)."""

from __future__ import annotations

from typing import Any

from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.logs import AuditFilter, LogFilter
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


class LogService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids

    async def log(
        self,
        level: LogLevel,
        source: str,
        message: str,
        *,
        session_id: str | None = None,
        **details: Any,
    ) -> LogEntry:
        entry = LogEntry(
            id=self._ids.new_id(),
            level=level,
            source=source,
            message=message,
            timestamp=self._clock.now(),
            details=details,
            session_id=session_id,
        )
        async with self._uow() as uow:
            await uow.logs.add(entry)
            await uow.commit()
        return entry

    async def logs(self, where: LogFilter, page: PageRequest) -> Page[LogEntry]:
        async with self._uow() as uow:
            return await uow.logs.query(where, page)

    async def audit(self, where: AuditFilter, page: PageRequest) -> Page[AuditEntry]:
        async with self._uow() as uow:
            return await uow.audit.query(where, page)
