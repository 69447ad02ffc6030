"""Refresh token store (hashes only, never the token itself).

Inside a ``UnitOfWork``. ``add`` raises ``AlreadyExists`` for a taken id or hash (so of two
concurrent rotations to the same successor, one fails). ``find_by_hash`` returns None for an
unknown hash. ``revoke_family`` and ``revoke_user`` set ``revoked_at`` on every token not yet
revoked and return how many. ``family_active`` is True while the family (one login) has a
usable token: not revoked, not replaced, not expired at ``now``.
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
    async def family_active(self, family_id: str, now: datetime) -> bool: ...
