"""In-memory ``AuditRepository``."""

from __future__ import annotations

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.log import AuditEntry
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.logs import AuditFilter, AuditRepository


class MemoryAuditRepository(AuditRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._table: Table[str, AuditEntry] = Table(
            lambda: db.audit, "audit entry", lambda e: e.id, lambda e: (e.timestamp, e.id)
        )

    async def add(self, entry: AuditEntry) -> None:
        self._table.add(entry)

    async def query(self, where: AuditFilter, page: PageRequest) -> Page[AuditEntry]:
        def matches(e: AuditEntry) -> bool:
            return (
                where.actor in (None, e.actor)
                and where.action in (None, e.action)
                and (where.since is None or e.timestamp >= where.since)
                and (where.until is None or e.timestamp < where.until)
            )

        return self._table.page(page, matches, newest_first=True)
