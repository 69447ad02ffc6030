"""What every SQLAlchemy repository shares: its connection, paging, and error translation.

Repositories run Core statements on the unit of work's ``AsyncConnection`` (no ORM session:
its bookkeeping costs more than the statements themselves on this hot path)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, Table, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from wa_agents.adapters.sqlalchemy.convert import Row
from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import Page, PageRequest

T = TypeVar("T")


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with ``escape="\\"``: its ``%`` and ``_`` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_PREBUILT: dict[tuple[str, tuple[str, ...], str], Any] = {}


def insert_ignoring(table: Table, conflict: tuple[str, ...], dialect: str) -> Any:
    """A prebuilt INSERT … ON CONFLICT DO NOTHING RETURNING <pk>, executed with parameters.

    Prebuilt statements skip SQLAlchemy's per-call statement building and cache-key work,
    a quarter of the cost of a small transaction. psycopg reports rowcount -1 for this
    statement, so a returned row is the signal that the insert won.
    """
    key = (table.name, conflict, dialect)
    if key not in _PREBUILT:
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        _PREBUILT[key] = (
            insert(table)
            .on_conflict_do_nothing(index_elements=list(conflict))
            .returning(*table.primary_key.columns)
        )
    return _PREBUILT[key]


class Repository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._s = connection

    async def _insert_unique(
        self, statement: Any, kind: str, key: object, values: dict[str, Any] | None = None
    ) -> None:
        """Run an INSERT in a savepoint, so a clash leaves the transaction usable."""
        try:
            async with self._s.begin_nested():
                await self._s.execute(statement, values)
        except IntegrityError as exc:
            raise AlreadyExists(kind, key) from exc

    async def _insert_ignore(self, table: Any, values: dict[str, Any], *conflict: str) -> bool:
        """INSERT … ON CONFLICT DO NOTHING; True when the row was written.

        Both SQLite and PostgreSQL settle concurrent inserts of the same key this way without
        an error: exactly one wins, the others do nothing.
        """
        statement = insert_ignoring(table, conflict, self._s.dialect.name)
        return (await self._s.execute(statement, values)).first() is not None

    async def _one(
        self, query: Select[Any], convert: Callable[[Row], T], kind: str, key: object
    ) -> T:
        row = (await self._s.execute(query)).mappings().first()
        if row is None:
            raise NotFound(kind, key)
        return convert(row)

    async def _changed(self, statement: Any, kind: str, key: object) -> None:
        result = await self._s.execute(statement)
        if result.rowcount == 0:
            raise NotFound(kind, key)

    async def _page(
        self, query: Select[Any], convert: Callable[[Row], T], page: PageRequest, *order: Any
    ) -> Page[T]:
        total = await self._s.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())
        )
        rows = await self._s.execute(query.order_by(*order).limit(page.limit).offset(page.offset))
        return Page([convert(r) for r in rows.mappings()], int(total or 0), page.limit, page.offset)
