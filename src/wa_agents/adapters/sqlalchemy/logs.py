"""SQLAlchemy ``LogRepository``."""

from __future__ import annotations

from sqlalchemy import insert, select

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import log_values, logs, to_log
from wa_agents.domain.model.log import LogEntry
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.logs import LogFilter, LogRepository

c = logs.c


class SqlAlchemyLogRepository(Repository, LogRepository):
    async def add(self, entry: LogEntry) -> None:
        await self._s.execute(insert(logs).values(log_values(entry)))

    async def query(self, where: LogFilter, page: PageRequest) -> Page[LogEntry]:
        query = select(logs)
        if where.level is not None:
            query = query.where(c.level == where.level.value)
        if where.source is not None:
            query = query.where(c.source == where.source)
        if where.session_id is not None:
            query = query.where(c.session_id == where.session_id)
        if where.since is not None:
            query = query.where(c.timestamp >= where.since)
        if where.until is not None:
            query = query.where(c.timestamp < where.until)
        return await self._page(query, to_log, page, c.timestamp.desc(), c.id.desc())
