"""In-memory ``UserRepository``."""

from __future__ import annotations

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.user import User
from wa_agents.ports.users import UserRepository


class MemoryUserRepository(UserRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._table: Table[str, User] = Table(
            lambda: db.users, "user", lambda u: u.id, lambda u: (u.created_at, u.id)
        )

    def _check_unique(self, user: User) -> None:
        for other in self._db.users.values():
            if other.id == user.id:
                continue
            if other.username.lower() == user.username.lower():
                raise AlreadyExists("user", user.username)
            if other.email.lower() == user.email.lower():
                raise AlreadyExists("user with email", user.email)

    async def add(self, user: User) -> None:
        self._check_unique(user)
        self._table.add(user)

    async def get(self, user_id: str) -> User:
        return self._table.get(user_id)

    async def find_by_username(self, username: str) -> User | None:
        wanted = username.lower()
        return next((u for u in self._db.users.values() if u.username.lower() == wanted), None)

    async def update(self, user: User) -> None:
        self._table.get(user.id)
        self._check_unique(user)
        self._table.update(user)

    async def list(self, page: PageRequest) -> Page[User]:
        return self._table.page(page)

    async def count(self) -> int:
        return len(self._db.users)
