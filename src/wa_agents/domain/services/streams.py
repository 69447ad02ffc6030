"""StreamAccess: who may watch the live event stream, and for how long.

A browser cannot put a header on an ``EventSource``, and a bearer token in a URL ends up in
logs; so the dashboard trades its access token for a ticket (random, single use, 30 s) and
opens the stream with that. Either way the stream is bound to the access token behind it: it
ends when that token expires, and as soon as the user is disabled, their token generation
moves on (password reset, role change, logout everywhere) or that login is logged out.
``allows`` is checked before every event and on every keep-alive.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from wa_agents.domain.model.errors import AuthenticationFailed, NotFound
from wa_agents.domain.model.user import Role
from wa_agents.domain.services.auth import AuthService
from wa_agents.ports.clock import Clock
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

TICKET_TTL = timedelta(seconds=30)
MAX_TICKETS = 10_000  # unredeemed tickets kept; past it the oldest go first
STREAM_ROLE = Role.VIEWER  # what a stream shows: every session's status and messages


@dataclass(frozen=True, slots=True)
class StreamGrant:
    user_id: str
    generation: int
    login_id: str  # "" for a token without a login (then only expiry and the user count)
    expires_at: datetime  # the access token's expiry


class StreamAccess:
    def __init__(
        self,
        auth: AuthService,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ticket_ttl: timedelta = TICKET_TTL,
    ) -> None:
        self._auth, self._uow, self._clock, self._ttl = auth, uow, clock, ticket_ttl
        self._tickets: dict[str, tuple[StreamGrant, datetime]] = {}

    async def grant(self, access_token: str) -> StreamGrant:
        """The stream an access token may open, or ``AuthenticationFailed``."""
        user, claims = await self._auth.authorize(access_token)
        if not user.role.allows(STREAM_ROLE):
            raise AuthenticationFailed("invalid token")
        return StreamGrant(user.id, claims.generation, claims.login_id, claims.expires_at)

    async def ticket(self, access_token: str) -> tuple[str, int]:
        """A single-use ticket for the stream, and how many seconds it stays redeemable."""
        grant = await self.grant(access_token)
        now = self._clock.now()
        for key in [k for k, (_, until) in self._tickets.items() if until <= now]:
            del self._tickets[key]
        while len(self._tickets) >= MAX_TICKETS:
            del self._tickets[next(iter(self._tickets))]
        ticket = secrets.token_urlsafe(32)
        self._tickets[ticket] = (grant, min(now + self._ttl, grant.expires_at))
        return ticket, int(self._ttl.total_seconds())

    async def redeem(self, ticket: str) -> StreamGrant:
        """The grant behind a ticket; a ticket works once, and not after it expired."""
        grant, until = self._tickets.pop(ticket, (None, self._clock.now()))
        if grant is None or until <= self._clock.now() or not await self.allows(grant):
            raise AuthenticationFailed("unknown, used or expired stream ticket")
        return grant

    def remaining(self, grant: StreamGrant) -> float:
        """Seconds until the token behind ``grant`` expires."""
        return (grant.expires_at - self._clock.now()).total_seconds()

    async def allows(self, grant: StreamGrant) -> bool:
        """True while the stream may go on (one read of the user row and the login)."""
        now = self._clock.now()
        if now >= grant.expires_at:
            return False
        async with self._uow() as uow:
            try:
                user = await uow.users.get(grant.user_id)
            except NotFound:
                return False
            login_open = not grant.login_id or await uow.refresh_tokens.family_active(
                grant.login_id, now
            )
        return (
            login_open
            and user.is_active
            and user.token_generation == grant.generation
            and user.role.allows(STREAM_ROLE)
        )
