"""SQLAlchemy ``ContactRepository``: aliases, and erasing a contact across tables.

Tables the core does not model (tool approvals) are found by name at run time, so erasure
covers them on a schema that has them and skips them on one that does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import MetaData, Table, delete, inspect, select
from sqlalchemy.engine import Connection

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import (
    audit,
    contact_aliases,
    conversations,
    messages,
    turn_usage,
)
from wa_agents.ports.contacts import ContactRepository

a = contact_aliases.c
QUOTING = "ai.reply"  # audit rows that quote a contact's messages (tool calls, results)
RELATED_TABLES = ("approvals",)  # (session_id, contact_jid) rows owned by other features


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _reflect(connection: Connection, names: tuple[str, ...]) -> list[Table]:
    present = set(inspect(connection).get_table_names())
    metadata = MetaData()
    return [Table(name, metadata, autoload_with=connection) for name in names if name in present]


class SqlAlchemyContactRepository(Repository, ContactRepository):
    async def link(self, session_id: str, alias_jid: str, contact_jid: str, now: datetime) -> None:
        if alias_jid == contact_jid:
            return
        values = {
            "session_id": session_id,
            "alias_jid": alias_jid,
            "contact_jid": contact_jid,
            "created_at": now,
        }
        await self._insert_ignore(contact_aliases, values, "session_id", "alias_jid")

    async def resolve(self, session_id: str, jid: str) -> str:
        query = select(a.contact_jid).where(a.session_id == session_id, a.alias_jid == jid)
        kept = await self._s.scalar(query)
        return str(kept) if kept is not None else jid

    async def aliases(self, session_id: str, contact_jid: str) -> list[str]:
        query = (
            select(a.alias_jid)
            .where(a.session_id == session_id, a.contact_jid == contact_jid)
            .order_by(a.alias_jid)
        )
        return [str(jid) for jid in await self._s.scalars(query)]

    async def _related_tables(self) -> list[Table]:
        return await self._s.run_sync(_reflect, RELATED_TABLES)

    async def related(
        self, session_id: str, jids: Sequence[str]
    ) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for table in await self._related_tables():
            query = select(table).where(
                table.c.session_id == session_id, table.c.contact_jid.in_(list(jids))
            )
            rows = [{k: _json(v) for k, v in row.items()} for row in await self._mappings(query)]
            if rows:  # only the tables that hold something of this contact
                found[table.name] = rows
        return found

    async def _mappings(self, query: Any) -> list[Any]:
        return list((await self._s.execute(query)).mappings())

    async def erase(self, session_id: str, jids: Sequence[str]) -> dict[str, int]:
        wanted = list(jids)
        counts: dict[str, int] = {}
        for table in [*await self._related_tables(), messages, turn_usage, conversations]:
            statement = delete(table).where(
                table.c.session_id == session_id, table.c.contact_jid.in_(wanted)
            )
            counts[table.name] = int((await self._s.execute(statement)).rowcount or 0)
        statement = delete(contact_aliases).where(
            a.session_id == session_id, a.alias_jid.in_(wanted) | a.contact_jid.in_(wanted)
        )
        counts["contact_aliases"] = int((await self._s.execute(statement)).rowcount or 0)
        targets = [f"{session_id}/{jid}" for jid in wanted]
        statement = delete(audit).where(audit.c.action == QUOTING, audit.c.target.in_(targets))
        counts["audit"] = int((await self._s.execute(statement)).rowcount or 0)
        return counts
