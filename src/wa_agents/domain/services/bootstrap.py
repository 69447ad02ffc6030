"""The first admin: there is no default account, so the first start makes one.

With a username and password given (``WA_ADMIN_USERNAME``/``WA_ADMIN_PASSWORD``) those are used;
without a password one is generated and returned, so the caller can show it exactly once.
Nothing happens when any user exists already, nor when another replica starting at the same
moment created the admin first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.user import Role, User
from wa_agents.domain.services.users import UserService

DEFAULT_USERNAME = "admin"


@dataclass(frozen=True, slots=True)
class FirstAdmin:
    user: User
    generated_password: str | None  # set only when we made the password up


async def ensure_first_admin(
    users: UserService, username: str | None = None, password: str | None = None
) -> FirstAdmin | None:
    if await users.count() > 0:
        return None
    name = username or DEFAULT_USERNAME
    generated = None if password else secrets.token_urlsafe(15)
    try:
        user = await users.create(
            name, f"{name}@localhost", password or generated or "", Role.ADMIN, actor="bootstrap"
        )
    except AlreadyExists:  # another replica won the race: its admin is the first admin
        return None
    return FirstAdmin(user, generated)
