"""Password hashing and token issuing.

``PasswordHasher`` is synchronous and slow by design; callers run it off the event loop.
``verify`` returns False for a wrong password or a malformed hash, never raises.
``TokenService.decode_access`` raises ``AuthenticationFailed`` for any invalid, expired or
foreign token. ``new_refresh_token`` returns an opaque random token; ``hash_refresh_token`` is
deterministic so the hash can be looked up.
"""

from __future__ import annotations

from typing import Protocol

from wa_agents.domain.model.auth import AccessClaims


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, hashed: str, password: str) -> bool: ...
    def needs_rehash(self, hashed: str) -> bool: ...


class TokenService(Protocol):
    access_ttl_seconds: int

    def issue_access(self, user_id: str, role: str) -> str: ...
    def decode_access(self, token: str) -> AccessClaims: ...
    def new_refresh_token(self) -> str: ...
    def hash_refresh_token(self, token: str) -> str: ...
