"""Copying every row from one database to another (SQLite to PostgreSQL, say).

The target must be migrated to the same revision and empty. Tables are copied parents
first, in batches, in one transaction on the target: it all arrives, or nothing does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select, text

from wa_agents.adapters.sqlalchemy.database import Database
from wa_agents.adapters.sqlalchemy.tables import Base
from wa_agents.domain.model.errors import DomainError

BATCH = 500
RESTART_JOB_SEQUENCE = (
    "SELECT setval(pg_get_serial_sequence('jobs', 'seq'), COALESCE(MAX(seq), 0) + 1, false)"
    " FROM jobs"
)


class CopyRefused(DomainError):
    """The target is not ready to receive a copy."""


@dataclass(frozen=True, slots=True)
class CopyReport:
    revision: str | None
    rows: dict[str, int]


async def copy_database(source: Database, target: Database) -> CopyReport:
    revision = await source.revision()
    if revision != await target.revision():
        raise CopyRefused("source and target are at different schema revisions: migrate both first")
    tables = Base.metadata.sorted_tables
    copied: dict[str, int] = {}
    async with source.engine.connect() as reader, target.engine.begin() as writer:
        for table in tables:
            if await writer.scalar(select(func.count()).select_from(table)):
                raise CopyRefused(f"the target is not empty (table {table.name} has rows)")
        for table in tables:
            copied[table.name] = 0
            result = await reader.stream(select(table).order_by(*table.primary_key.columns))
            async for batch in result.mappings().partitions(BATCH):
                await writer.execute(insert(table), [dict(row) for row in batch])
                copied[table.name] += len(batch)
        if target.dialect == "postgresql":  # identities must continue after the copied rows
            await writer.execute(text(RESTART_JOB_SEQUENCE))
    return CopyReport(revision, copied)
