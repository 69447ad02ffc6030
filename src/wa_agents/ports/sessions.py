"""Session (linked number) repository.

Inside a ``UnitOfWork``. ``add`` raises ``AlreadyExists`` for a taken id; ``get``/``update``/
``delete`` raise ``NotFound``. ``list`` orders by id.
"""

from __future__ import annotations

from typing import Protocol

from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session


class SessionRepository(Protocol):
    async def add(self, session: Session) -> None: ...
    async def get(self, session_id: str) -> Session: ...
    async def find(self, session_id: str) -> Session | None: ...
    async def update(self, session: Session) -> None: ...
    async def delete(self, session_id: str) -> None: ...
    async def list(self, page: PageRequest) -> Page[Session]: ...
