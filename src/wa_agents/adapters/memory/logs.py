"""In-memory ``LogRepository``."""

from __future__ import annotations

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.log import LogEntry
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.logs import LogFilter, LogRepository


class MemoryLogRepository(LogRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._table: Table[str, LogEntry] = Table(
            lambda: db.logs, "log entry", lambda e: e.id, lambda e: (e.timestamp, e.id)
        )

    async def add(self, entry: LogEntry) -> None:
        self._table.add(entry)

    async def query(self, where: LogFilter, page: PageRequest) -> Page[LogEntry]:
        def matches(e: LogEntry) -> bool:
            return (
                where.level in (None, e.level)
                and where.source in (None, e.source)
                and where.session_id in (None, e.session_id)
                and (where.since is None or e.timestamp >= where.since)
                and (where.until is None or e.timestamp < where.until)
            )

        return self._table.page(page, matches, newest_first=True)
