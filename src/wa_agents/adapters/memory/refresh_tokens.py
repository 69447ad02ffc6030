"""In-memory ``RefreshTokenRepository``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.auth import RefreshToken
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.ports.refresh_tokens import RefreshTokenRepository


class MemoryRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._table: Table[str, RefreshToken] = Table(
            lambda: db.refresh_tokens, "refresh token", lambda t: t.id, lambda t: t.created_at
        )

    async def add(self, token: RefreshToken) -> None:
        if any(t.token_hash == token.token_hash for t in self._db.refresh_tokens.values()):
            raise AlreadyExists("refresh token", token.id)
        self._table.add(token)

    async def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        return next(
            (t for t in self._db.refresh_tokens.values() if t.token_hash == token_hash), None
        )

    async def update(self, token: RefreshToken) -> None:
        self._table.update(token)

    def _revoke(self, wanted: list[RefreshToken], now: datetime) -> int:
        for token in wanted:
            self._db.refresh_tokens[token.id] = replace(token, revoked_at=now)
        return len(wanted)

    async def revoke_family(self, family_id: str, now: datetime) -> int:
        tokens = self._db.refresh_tokens.values()
        return self._revoke(
            [t for t in tokens if t.family_id == family_id and not t.revoked_at], now
        )

    async def revoke_user(self, user_id: str, now: datetime) -> int:
        tokens = self._db.refresh_tokens.values()
        return self._revoke([t for t in tokens if t.user_id == user_id and not t.revoked_at], now)

    async def family_active(self, family_id: str, now: datetime) -> bool:
        tokens = self._db.refresh_tokens.values()
        return any(t.family_id == family_id and t.is_usable(now) for t in tokens)
