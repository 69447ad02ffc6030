"""User repository.

Lives inside a ``UnitOfWork``; nothing is visible to others until ``commit``.
``add`` raises ``AlreadyExists`` for a taken username or email (case-insensitive);
``get``/``update`` raise ``NotFound``. Lookups by username are case-insensitive.
"""

from __future__ import annotations

from typing import Protocol

from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.user import User


class UserRepository(Protocol):
    async def add(self, user: User) -> None: ...
    async def get(self, user_id: str) -> User: ...
    async def find_by_username(self, username: str) -> User | None: ...
    async def update(self, user: User) -> None: ...
    async def list(self, page: PageRequest) -> Page[User]: ...
    async def count(self) -> int: ...
