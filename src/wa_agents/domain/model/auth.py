"""Credentials issued to dashboard users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class RefreshToken:
    """A stored refresh token. Only its hash is kept; a family shares one login."""

    id: str
    user_id: str
    token_hash: str
    family_id: str
    expires_at: datetime
    created_at: datetime
    revoked_at: datetime | None = None
    replaced_by: str | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.replaced_by is None and now < self.expires_at


@dataclass(frozen=True, slots=True)
class AccessClaims:
    subject: str  # user id
    role: str
    token_id: str
    expires_at: datetime
    generation: int = 0  # the user's token generation when it was issued
    login_id: str = ""  # the refresh-token family (one login) it was issued for


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessGrant:
    """What an access token is issued for. ``token_id`` and ``issued_at`` are fixed when the
    same token must be issued again (a refresh repeated within its grace window)."""

    user_id: str
    role: str
    generation: int = 0
    login_id: str = ""
    token_id: str | None = None
    issued_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"
