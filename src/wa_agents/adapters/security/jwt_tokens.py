"""``JwtTokenService``: HS256 access tokens (pyjwt) and opaque refresh tokens.

Access tokens carry ``sub`` (user id), ``role``, ``jti``, ``iss``, ``aud``, ``iat``, ``exp``
(all required on decode), ``gen`` (the user's token generation; absent reads as 0) and ``sid``
(the login, i.e. refresh-token family), and live at most 15 minutes. The algorithm is pinned
to HS256 with a key of at least 256 bits, so ``alg: none`` and RS/HS confusion are refused. Time
checks use the injected ``Clock`` (not the host's), so what the domain calls "now" is what
expiry means. Refresh tokens are 256 random bits; the one replacing a token is an HMAC of it
under the key (so a repeated refresh can answer the same pair); only their SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from wa_agents.domain.model.auth import AccessClaims, AccessGrant
from wa_agents.domain.model.errors import AuthenticationFailed
from wa_agents.ports.clock import Clock
from wa_agents.ports.security import TokenService

ALGORITHM = "HS256"
REQUIRED = ["exp", "iat", "iss", "aud", "sub", "jti"]
MAX_TTL = 900
LEEWAY = timedelta(seconds=30)


class JwtTokenService(TokenService):
    def __init__(
        self,
        key: bytes,
        clock: Clock,
        *,
        issuer: str = "wa_agents",
        audience: str = "wa_agents-api",
        access_ttl_seconds: int = MAX_TTL,
    ) -> None:
        if len(key) < 32:
            raise ValueError("the JWT key must be at least 256 bits (32 bytes)")
        if not 0 < access_ttl_seconds <= MAX_TTL:
            raise ValueError(f"access tokens live 1-{MAX_TTL} seconds")
        self._key, self._clock = key, clock
        self._issuer, self._audience = issuer, audience
        self.access_ttl_seconds = access_ttl_seconds

    def issue_access(self, grant: AccessGrant) -> str:
        now = int((grant.issued_at or self._clock.now()).timestamp())
        claims = {
            "sub": grant.user_id,
            "role": grant.role,
            "gen": grant.generation,
            "sid": grant.login_id,
            "jti": grant.token_id or secrets.token_hex(16),
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": now + self.access_ttl_seconds,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def decode_access(self, token: str) -> AccessClaims:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                # pyjwt reads the host clock; expiry is checked below against ours.
                options={
                    "require": REQUIRED,
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            return self._checked(claims)
        except (jwt.PyJWTError, TypeError, ValueError):
            raise AuthenticationFailed("invalid or expired token") from None

    def _checked(self, claims: dict[str, Any]) -> AccessClaims:
        now = self._clock.now()
        issued = datetime.fromtimestamp(int(claims["iat"]), UTC)
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        not_before = datetime.fromtimestamp(int(claims.get("nbf", claims["iat"])), UTC)
        if now >= expires or issued > now + LEEWAY or not_before > now + LEEWAY:
            raise ValueError("outside the token's lifetime")
        if (expires - issued).total_seconds() > MAX_TTL:
            raise ValueError("lifetime too long")
        if not isinstance(claims["sub"], str) or not isinstance(claims.get("role"), str):
            raise ValueError("bad subject or role")
        generation, login = claims.get("gen", 0), claims.get("sid", "")
        if type(generation) is not int or not isinstance(login, str):
            raise ValueError("bad generation or login")
        return AccessClaims(
            claims["sub"], claims["role"], str(claims["jti"]), expires, generation, login
        )

    def new_refresh_token(self) -> str:
        return secrets.token_urlsafe(32)

    def next_refresh_token(self, previous: str) -> str:
        digest = hmac.new(self._key, b"refresh-rotation\x00" + previous.encode(), "sha256")
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()

    def hash_refresh_token(self, token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
