"""SQLAlchemy ``UserRepository``."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import to_user, user_values, users
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.user import User
from wa_agents.ports.users import UserRepository


class SqlAlchemyUserRepository(Repository, UserRepository):
    async def add(self, user: User) -> None:
        await self._insert_unique(insert(users).values(user_values(user)), "user", user.username)

    async def get(self, user_id: str) -> User:
        return await self._one(select(users).where(users.c.id == user_id), to_user, "user", user_id)

    async def find_by_username(self, username: str) -> User | None:
        query = select(users).where(func.lower(users.c.username) == username.lower())
        row = (await self._s.execute(query)).mappings().first()
        return None if row is None else to_user(row)

    async def update(self, user: User) -> None:
        statement = update(users).where(users.c.id == user.id).values(user_values(user))
        try:
            async with self._s.begin_nested():
                await self._changed(statement, "user", user.id)
        except IntegrityError as exc:
            raise AlreadyExists("user", user.username) from exc

    async def list(self, page: PageRequest) -> Page[User]:
        return await self._page(select(users), to_user, page, users.c.created_at, users.c.id)

    async def count(self) -> int:
        return int(await self._s.scalar(select(func.count()).select_from(users)) or 0)
