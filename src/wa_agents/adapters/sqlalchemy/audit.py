"""SQLAlchemy ``AuditRepository``."""

from __future__ import annotations

from sqlalchemy import insert, select

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import audit, audit_values, to_audit
from wa_agents.domain.model.log import AuditEntry
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.logs import AuditFilter, AuditRepository

c = audit.c


class SqlAlchemyAuditRepository(Repository, AuditRepository):
    async def add(self, entry: AuditEntry) -> None:
        await self._s.execute(insert(audit).values(audit_values(entry)))

    async def query(self, where: AuditFilter, page: PageRequest) -> Page[AuditEntry]:
        query = select(audit)
        if where.actor is not None:
            query = query.where(c.actor == where.actor)
        if where.action is not None:
            query = query.where(c.action == where.action)
        if where.since is not None:
            query = query.where(c.timestamp >= where.since)
        if where.until is not None:
            query = query.where(c.timestamp < where.until)
        return await self._page(query, to_audit, page, c.timestamp.desc(), c.id.desc())
