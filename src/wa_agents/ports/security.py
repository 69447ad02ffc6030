"""Password hashing and token issuing.

``PasswordHasher`` is synchronous and slow by design; callers run it off the event loop.
``verify`` returns False for a wrong password or a malformed hash, never raises.
``TokenService.decode_access`` raises ``AuthenticationFailed`` for any invalid, expired or
foreign token; the claims it returns carry the grant's generation and login id.
``issue_access`` is deterministic when the grant fixes ``token_id`` and ``issued_at``.
``new_refresh_token`` returns an opaque random token; ``next_refresh_token`` derives the token
that replaces ``previous`` (deterministic, unguessable without the service's secret), so a
refresh repeated within its grace window answers the same pair; ``hash_refresh_token`` is
deterministic so the hash can be looked up.
"""

from __future__ import annotations

from typing import Protocol

from wa_agents.domain.model.auth import AccessClaims, AccessGrant


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, hashed: str, password: str) -> bool: ...
    def needs_rehash(self, hashed: str) -> bool: ...


class TokenService(Protocol):
    access_ttl_seconds: int

    def issue_access(self, grant: AccessGrant) -> str: ...
    def decode_access(self, token: str) -> AccessClaims: ...
    def new_refresh_token(self) -> str: ...
    def next_refresh_token(self, previous: str) -> str: ...
    def hash_refresh_token(self, token: str) -> str: ...
