"""AuthService: login with lockout, refresh-token rotation with reuse detection, logout.

Unknown user, wrong password, disabled and locked accounts all raise the same
``AuthenticationFailed`` after the same amount of hashing work, so none can be told apart.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

from wa_agents.domain.model.auth import RefreshToken, TokenPair
from wa_agents.domain.model.errors import AuthenticationFailed, NotFound
from wa_agents.domain.model.user import LockoutPolicy, User
from wa_agents.domain.services.offload import Offloader
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.security import PasswordHasher, TokenService
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

INVALID = "invalid username or password"


class AuthService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenService,
        clock: Clock,
        ids: IdGenerator,
        *,
        policy: LockoutPolicy = LockoutPolicy(),
        refresh_ttl: timedelta = timedelta(days=14),
        offload: Offloader | None = None,
    ) -> None:
        self._uow, self._hasher, self._tokens = uow, hasher, tokens
        self._clock, self._ids, self._policy = clock, ids, policy
        self._refresh_ttl = refresh_ttl
        self._offload = offload or Offloader()
        self._dummy_hash: str | None = None

    async def _verify(self, user: User | None, password: str) -> bool:
        if user is None:
            if self._dummy_hash is None:
                self._dummy_hash = await self._offload(self._hasher.hash, secrets.token_hex(16))
            await self._offload(self._hasher.verify, self._dummy_hash, password)
            return False
        return await self._offload(self._hasher.verify, user.hashed_password, password)

    async def login(self, username: str, password: str) -> TokenPair:
        async with self._uow() as uow:
            user = await uow.users.find_by_username(username)
        ok = await self._verify(user, password)
        if user is None:
            raise AuthenticationFailed(INVALID)
        now = self._clock.now()
        rehashed = None
        if ok and self._hasher.needs_rehash(user.hashed_password):
            rehashed = await self._offload(self._hasher.hash, password)
        async with self._uow() as uow:
            user = await uow.users.get(user.id)
            if not user.can_log_in(now):
                raise AuthenticationFailed(INVALID)
            if not ok:
                await uow.users.update(user.record_failure(now, self._policy))
                await uow.commit()
                raise AuthenticationFailed(INVALID)
            user = user.record_success(now)
            if rehashed is not None:
                user = replace(user, hashed_password=rehashed)
            await uow.users.update(user)
            pair, _ = await self._issue(uow, user, family_id=self._ids.new_id())
            await uow.commit()
        return pair

    async def _issue(self, uow: UnitOfWork, user: User, family_id: str) -> tuple[TokenPair, str]:
        now = self._clock.now()
        raw = self._tokens.new_refresh_token()
        token = RefreshToken(
            id=self._ids.new_id(),
            user_id=user.id,
            family_id=family_id,
            token_hash=self._tokens.hash_refresh_token(raw),
            expires_at=now + self._refresh_ttl,
            created_at=now,
        )
        await uow.refresh_tokens.add(token)
        access = self._tokens.issue_access(user.id, user.role.value)
        return TokenPair(access, raw, self._tokens.access_ttl_seconds), token.id

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the old token dies, a new one of the same family is issued.

        Presenting a token that was already rotated or revoked means it leaked: the whole
        family is revoked, so the thief's copy dies along with the owner's.
        """
        now = self._clock.now()
        async with self._uow() as uow:
            stored = await uow.refresh_tokens.find_by_hash(
                self._tokens.hash_refresh_token(refresh_token)
            )
            if stored is None:
                raise AuthenticationFailed("invalid refresh token")
            if not stored.is_usable(now):
                if stored.replaced_by is not None or stored.revoked_at is not None:
                    await uow.refresh_tokens.revoke_family(stored.family_id, now)
                    await uow.commit()
                raise AuthenticationFailed("invalid refresh token")
            try:
                user = await uow.users.get(stored.user_id)
            except NotFound:
                raise AuthenticationFailed("invalid refresh token") from None
            if not user.is_active:
                raise AuthenticationFailed("invalid refresh token")
            pair, new_id = await self._issue(uow, user, stored.family_id)
            await uow.refresh_tokens.update(replace(stored, replaced_by=new_id))
            await uow.commit()
        return pair

    async def logout(self, refresh_token: str) -> None:
        """Revoke the login this refresh token belongs to; unknown tokens are ignored."""
        async with self._uow() as uow:
            stored = await uow.refresh_tokens.find_by_hash(
                self._tokens.hash_refresh_token(refresh_token)
            )
            if stored is not None:
                await uow.refresh_tokens.revoke_family(stored.family_id, self._clock.now())
                await uow.commit()

    async def authenticate(self, access_token: str) -> User:
        """The active user an access token belongs to, or ``AuthenticationFailed``."""
        claims = self._tokens.decode_access(access_token)
        async with self._uow() as uow:
            try:
                user = await uow.users.get(claims.subject)
            except NotFound:
                raise AuthenticationFailed("invalid token") from None
        if not user.is_active:
            raise AuthenticationFailed("invalid token")
        return user
