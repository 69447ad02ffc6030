"""In-memory security adapters: a PBKDF2 password hasher and an opaque-token service.

Both are real and correct (standard library only), for tests, demos and embedding hosts.
Production wiring uses argon2id and JWT (``wa_agents.adapters.security``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from wa_agents.domain.model.auth import AccessClaims, AccessGrant
from wa_agents.domain.model.errors import AuthenticationFailed
from wa_agents.ports.clock import Clock
from wa_agents.ports.security import PasswordHasher, TokenService


class Pbkdf2PasswordHasher(PasswordHasher):
    def __init__(self, iterations: int = 1_000) -> None:
        self.iterations = iterations

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(16)
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, self.iterations)
        return "$".join(
            ("pbkdf2_sha256", str(self.iterations), salt.hex(), base64.b64encode(digest).decode())
        )

    def verify(self, hashed: str, password: str) -> bool:
        try:
            scheme, iterations, salt, expected = hashed.split("$")
            digest = hashlib.pbkdf2_hmac(
                "sha256", password.encode(), bytes.fromhex(salt), int(iterations)
            )
        except ValueError:
            return False
        return scheme == "pbkdf2_sha256" and hmac.compare_digest(
            base64.b64encode(digest).decode(), expected
        )

    def needs_rehash(self, hashed: str) -> bool:
        parts = hashed.split("$")
        return len(parts) != 4 or parts[1] != str(self.iterations)


class MemoryTokenService(TokenService):
    """Access tokens are random strings remembered with their claims until they expire."""

    def __init__(self, clock: Clock, access_ttl_seconds: int = 900) -> None:
        self._clock = clock
        self.access_ttl_seconds = access_ttl_seconds
        self._issued: dict[str, AccessClaims] = {}
        self._key = secrets.token_bytes(32)

    def _derive(self, purpose: str, value: str) -> str:
        digest = hmac.new(self._key, f"{purpose}\x00{value}".encode(), "sha256").digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def issue_access(self, grant: AccessGrant) -> str:
        token_id = grant.token_id or secrets.token_hex(8)
        issued = grant.issued_at or self._clock.now()
        token = self._derive("access", token_id) if grant.token_id else secrets.token_urlsafe(32)
        expires = issued + timedelta(seconds=self.access_ttl_seconds)
        self._issued[token] = AccessClaims(
            grant.user_id, grant.role, token_id, expires, grant.generation, grant.login_id
        )
        return token

    def decode_access(self, token: str) -> AccessClaims:
        claims = self._issued.get(token)
        if claims is None or self._clock.now() >= claims.expires_at:
            raise AuthenticationFailed("invalid or expired token")
        return claims

    def new_refresh_token(self) -> str:
        return secrets.token_urlsafe(32)

    def next_refresh_token(self, previous: str) -> str:
        return self._derive("refresh", previous)

    def hash_refresh_token(self, token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
