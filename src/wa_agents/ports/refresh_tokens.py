"""Refresh token store (hashes only, never the token itself).

Inside a ``UnitOfWork``. ``find_by_hash`` returns None for an unknown hash. ``revoke_family``
and ``revoke_user`` set ``revoked_at`` on every token not yet revoked and return how many.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.auth import RefreshToken


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...
    async def find_by_hash(self, token_hash: str) -> RefreshToken | None: ...
    async def update(self, token: RefreshToken) -> None: ...
    async def revoke_family(self, family_id: str, now: datetime) -> int: ...
    async def revoke_user(self, user_id: str, now: datetime) -> int: ...
