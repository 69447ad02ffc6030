"""What every SQLAlchemy repository shares: its session, paging, and error translation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from wa_agents.adapters.sqlalchemy.convert import Row
from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import Page, PageRequest

T = TypeVar("T")


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def _insert_unique(self, statement: Any, kind: str, key: object) -> None:
        """Run an INSERT in a savepoint, so a clash leaves the transaction usable."""
        try:
            async with self._s.begin_nested():
                await self._s.execute(statement)
        except IntegrityError as exc:
            raise AlreadyExists(kind, key) from exc

    async def _insert_ignore(self, table: Any, values: dict[str, Any], *conflict: str) -> bool:
        """INSERT … ON CONFLICT DO NOTHING; True when the row was written.

        Both SQLite and PostgreSQL settle concurrent inserts of the same key this way without
        an error: exactly one wins, the others do nothing.
        """
        dialect = self._s.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(table)
            .values(values)
            .on_conflict_do_nothing(index_elements=list(conflict))
            .returning(*table.primary_key.columns)
        )  # psycopg reports rowcount -1 here: a returned row is the reliable signal
        return (await self._s.execute(statement)).first() is not None

    async def _one(
        self, query: Select[Any], convert: Callable[[Row], T], kind: str, key: object
    ) -> T:
        row = (await self._s.execute(query)).mappings().first()
        if row is None:
            raise NotFound(kind, key)
        return convert(row)

    async def _changed(self, statement: Any, kind: str, key: object) -> None:
        result = await self._s.execute(statement)
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound(kind, key)

    async def _page(
        self, query: Select[Any], convert: Callable[[Row], T], page: PageRequest, *order: Any
    ) -> Page[T]:
        total = await self._s.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())
        )
        rows = await self._s.execute(query.order_by(*order).limit(page.limit).offset(page.offset))
        return Page([convert(r) for r in rows.mappings()], int(total or 0), page.limit, page.offset)
