"""SQLAlchemy ``RefreshTokenRepository``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, insert, select, update

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import refresh_tokens, to_token, token_values
from wa_agents.domain.model.auth import RefreshToken
from wa_agents.ports.refresh_tokens import RefreshTokenRepository

c = refresh_tokens.c


class SqlAlchemyRefreshTokenRepository(Repository, RefreshTokenRepository):
    async def add(self, token: RefreshToken) -> None:
        await self._insert_unique(
            insert(refresh_tokens).values(token_values(token)), "refresh token", token.id
        )

    async def find_by_hash(self, token_hash: str) -> RefreshToken | None:
        row = (
            (await self._s.execute(select(refresh_tokens).where(c.token_hash == token_hash)))
            .mappings()
            .first()
        )
        return None if row is None else to_token(row)

    async def update(self, token: RefreshToken) -> None:
        statement = update(refresh_tokens).where(c.id == token.id).values(token_values(token))
        await self._changed(statement, "refresh token", token.id)

    async def _revoke(self, condition: ColumnElement[bool], now: datetime) -> int:
        statement = (
            update(refresh_tokens).where(condition, c.revoked_at.is_(None)).values(revoked_at=now)
        )
        return int((await self._s.execute(statement)).rowcount)

    async def revoke_family(self, family_id: str, now: datetime) -> int:
        return await self._revoke(c.family_id == family_id, now)

    async def revoke_user(self, user_id: str, now: datetime) -> int:
        return await self._revoke(c.user_id == user_id, now)

    async def family_active(self, family_id: str, now: datetime) -> bool:
        query = select(c.id).where(
            c.family_id == family_id,
            c.revoked_at.is_(None),
            c.replaced_by.is_(None),
            c.expires_at > now,
        )
        return (await self._s.execute(query.limit(1))).first() is not None
