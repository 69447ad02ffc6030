"""AuthService: login with lockout, refresh-token rotation with reuse detection, logout.

Unknown user, wrong password, disabled and locked accounts all raise the same
``AuthenticationFailed`` after the same amount of hashing work, so none can be told apart.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from wa_agents.domain.model.auth import AccessClaims, AccessGrant, RefreshToken, TokenPair
from wa_agents.domain.model.errors import AlreadyExists, AuthenticationFailed, NotFound
from wa_agents.domain.model.user import LockoutPolicy, User
from wa_agents.domain.services.threads import Offloader
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.security import PasswordHasher, TokenService
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

INVALID = "invalid username or password"
REFRESH_GRACE = timedelta(seconds=10)  # a repeated refresh within this answers the same pair


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
        refresh_grace: timedelta = REFRESH_GRACE,
        offload: Offloader | None = None,
    ) -> None:
        self._uow, self._hasher, self._tokens = uow, hasher, tokens
        self._clock, self._ids, self._policy = clock, ids, policy
        self._refresh_ttl, self._refresh_grace = refresh_ttl, refresh_grace
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

    async def _issue(
        self, uow: UnitOfWork, user: User, family_id: str, raw: str | None = None
    ) -> tuple[TokenPair, str]:
        now = self._clock.now()
        raw = raw or self._tokens.new_refresh_token()
        token = RefreshToken(
            id=self._ids.new_id(),
            user_id=user.id,
            family_id=family_id,
            token_hash=self._tokens.hash_refresh_token(raw),
            expires_at=now + self._refresh_ttl,
            created_at=now,
        )
        await uow.refresh_tokens.add(token)
        return self._pair(user, token, raw), token.id

    def _pair(self, user: User, token: RefreshToken, raw: str) -> TokenPair:
        """The pair of ``token``: its access token is pinned to it, so it can be issued again."""
        grant = AccessGrant(
            user_id=user.id,
            role=user.role.value,
            generation=user.token_generation,
            login_id=token.family_id,
            token_id=token.id,
            issued_at=token.created_at,
        )
        return TokenPair(self._tokens.issue_access(grant), raw, self._tokens.access_ttl_seconds)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Rotate: the old token dies, a new one of the same family is issued.

        Presenting a token that was already rotated or revoked means it leaked: the whole
        family is revoked, so the thief's copy dies along with the owner's. The one exception
        is a client that sent the same refresh twice (two tabs, a retry): within
        ``refresh_grace`` of the rotation, and while its successor is unused, the old token
        answers the very same pair again (OAuth 2.0 Security BCP, refresh token reuse).
        """
        try:
            return await self._rotate(refresh_token)
        except AlreadyExists:  # a parallel refresh of this token committed first
            return await self._rotate(refresh_token)

    async def _rotate(self, refresh_token: str) -> TokenPair:
        now = self._clock.now()
        async with self._uow() as uow:
            stored = await uow.refresh_tokens.find_by_hash(
                self._tokens.hash_refresh_token(refresh_token)
            )
            if stored is None:
                raise AuthenticationFailed("invalid refresh token")
            repeated = await self._repeat(uow, stored, refresh_token, now)
            if repeated is not None:
                return repeated
            if not stored.is_usable(now):
                if stored.replaced_by is not None or stored.revoked_at is not None:
                    await uow.refresh_tokens.revoke_family(stored.family_id, now)
                    await uow.commit()
                raise AuthenticationFailed("invalid refresh token")
            user = await self._active_user(uow, stored.user_id)
            successor = self._tokens.next_refresh_token(refresh_token)
            pair, new_id = await self._issue(uow, user, stored.family_id, successor)
            await uow.refresh_tokens.update(replace(stored, replaced_by=new_id))
            await uow.commit()
        return pair

    async def _repeat(
        self, uow: UnitOfWork, stored: RefreshToken, raw: str, now: datetime
    ) -> TokenPair | None:
        """The pair this rotated token was exchanged for, while the grace window is open."""
        if stored.replaced_by is None or stored.revoked_at is not None:
            return None
        successor_raw = self._tokens.next_refresh_token(raw)
        successor = await uow.refresh_tokens.find_by_hash(
            self._tokens.hash_refresh_token(successor_raw)
        )
        if (
            successor is None
            or successor.id != stored.replaced_by
            or not successor.is_usable(now)
            or now - successor.created_at > self._refresh_grace
        ):
            return None
        user = await self._active_user(uow, stored.user_id)
        return self._pair(user, successor, successor_raw)

    @staticmethod
    async def _active_user(uow: UnitOfWork, user_id: str) -> User:
        try:
            user = await uow.users.get(user_id)
        except NotFound:
            raise AuthenticationFailed("invalid refresh token") from None
        if not user.is_active:
            raise AuthenticationFailed("invalid refresh token")
        return user

    async def logout(self, refresh_token: str) -> None:
        """Revoke the login this refresh token belongs to; unknown tokens are ignored."""
        async with self._uow() as uow:
            stored = await uow.refresh_tokens.find_by_hash(
                self._tokens.hash_refresh_token(refresh_token)
            )
            if stored is not None:
                await uow.refresh_tokens.revoke_family(stored.family_id, self._clock.now())
                await uow.commit()

    async def logout_everywhere(self, user_id: str) -> None:
        """End every login of this user: refresh tokens revoked, access tokens dead."""
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            await uow.users.update(user.end_tokens(now))
            await uow.refresh_tokens.revoke_user(user_id, now)
            await uow.commit()

    async def authenticate(self, access_token: str) -> User:
        """The active user an access token belongs to, or ``AuthenticationFailed``.

        A token issued before the user's current token generation (a password reset, disable,
        role change or logout everywhere since) is refused; the generation lives in the user
        row this already loads, so the check costs no query.
        """
        return (await self.authorize(access_token))[0]

    async def authorize(self, access_token: str) -> tuple[User, AccessClaims]:
        """``authenticate``, with the token's claims."""
        claims = self._tokens.decode_access(access_token)
        async with self._uow() as uow:
            try:
                user = await uow.users.get(claims.subject)
            except NotFound:
                raise AuthenticationFailed("invalid token") from None
        if not user.is_active or claims.generation != user.token_generation:
            raise AuthenticationFailed("invalid token")
        return user, claims
