"""``/api/v1/users``: accounts of the dashboard (admin only)."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.auth import PasswordIn, UserIn, UserOut, UserPage, UserPatch
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import ADMIN, BEARER

WRITE = errors(400, 401, 403, 404, 409, 413, 422)


class UserController(Controller):
    path = "/api/v1/users"
    tags = ("users",)
    security = BEARER
    guards = (ADMIN,)

    @get("/", responses=errors(400, 401, 403), summary="List users")
    async def list_users(
        self, platform: NamedDependency[Platform], page: NamedDependency[PageRequest]
    ) -> UserPage:
        found = await platform.users.list(page)
        return UserPage([UserOut.of(u) for u in found.items], found.total, page.limit, page.offset)

    @post("/", responses=WRITE, summary="Create a user")
    async def create_user(
        self,
        data: JSONBody[UserIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> UserOut:
        created = await platform.users.create(
            data.username, data.email, data.password, data.role, actor=user.username
        )
        return UserOut.of(created)

    @get("/{user_id:str}", responses=errors(401, 403, 404), summary="One user")
    async def get_user(
        self, user_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> UserOut:
        return UserOut.of(await platform.users.get(user_id))

    @patch("/{user_id:str}", responses=WRITE, summary="Change role and/or active flag")
    async def update_user(
        self,
        user_id: FromPath[str],
        data: JSONBody[UserPatch],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> UserOut:
        changed = await platform.users.update(
            user_id, role=data.role, is_active=data.is_active, actor=user.username
        )
        return UserOut.of(changed)

    @post(
        "/{user_id:str}/reset-password",
        status_code=200,
        responses=WRITE,
        summary="Set a new password (ends the user's logins)",
    )
    async def reset_password(
        self,
        user_id: FromPath[str],
        data: JSONBody[PasswordIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> UserOut:
        return UserOut.of(
            await platform.users.reset_password(user_id, data.password, actor=user.username)
        )

    @post(
        "/{user_id:str}/unlock",
        status_code=200,
        responses=errors(401, 403, 404),
        summary="Lift a login lockout",
    )
    async def unlock(
        self,
        user_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> UserOut:
        return UserOut.of(await platform.users.unlock(user_id, actor=user.username))
