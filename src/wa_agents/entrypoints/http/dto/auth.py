"""Login, tokens and the users who log in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from wa_agents.domain.model.auth import TokenPair
from wa_agents.domain.model.user import EMAIL_PATTERN, Role, User
from wa_agents.entrypoints.http.dto.common import text

Username = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.-]{3,64}$")]
Email = Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN)]  # portable: no ``\s`` in it
Password = Annotated[str, text(128, 8)]


class LoginIn(msgspec.Struct):
    username: Annotated[str, text(256, 1)]
    password: Annotated[str, text(1024, 1)]


class RefreshIn(msgspec.Struct):
    refresh_token: Annotated[str, text(512, 1)]


class TokenOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int

    @classmethod
    def of(cls, pair: TokenPair) -> TokenOut:
        return cls(pair.access_token, pair.refresh_token, pair.token_type, pair.expires_in)


class UserOut(msgspec.Struct):
    id: str
    username: str
    email: str
    role: Role
    is_active: bool
    locked_until: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            user.id,
            user.username,
            user.email,
            user.role,
            user.is_active,
            user.locked_until,
            user.created_at,
        )


class UserPage(msgspec.Struct):
    items: list[UserOut]
    total: int
    limit: int
    offset: int


class UserIn(msgspec.Struct):
    username: Username
    email: Email
    password: Password
    role: Role = Role.VIEWER


class UserPatch(msgspec.Struct):
    role: Role | None = None
    is_active: bool | None = None


class PasswordIn(msgspec.Struct):
    password: Password
