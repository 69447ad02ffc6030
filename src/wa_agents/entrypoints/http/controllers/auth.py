"""``/api/v1/auth``: log in, refresh, log out, who am I."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from wa_agents.domain.model.errors import AuthenticationFailed
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.auth import LoginIn, RefreshIn, TokenOut, UserOut
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER
from wa_agents.entrypoints.http.throttle import LoginThrottle


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ("auth",)

    @post(
        "/login",
        status_code=200,
        exclude_from_auth=True,
        security=[],
        responses=errors(400, 401, 413, 429),
        summary="Log in with a username and password",
        description="Unknown user, wrong password, disabled and locked accounts all answer the "
        "same 401. Five failures in a row lock the account for 15 minutes (doubling on repeat).",
    )
    async def login(
        self,
        data: JSONBody[LoginIn],
        request: Request,  # type: ignore[type-arg]
        platform: NamedDependency[Platform],
        throttle: NamedDependency[LoginThrottle],
    ) -> TokenOut:
        address = request.client.host if request.client else "unknown"
        await throttle.attempt(address, data.username)
        try:
            return TokenOut.of(await platform.auth.login(data.username, data.password))
        except AuthenticationFailed:
            await throttle.failed(address)
            raise

    @post(
        "/refresh",
        status_code=200,
        exclude_from_auth=True,
        security=[],
        responses=errors(400, 401, 413),
        summary="Trade a refresh token for a new pair (the old one dies; reusing it revokes all)",
    )
    async def refresh(
        self, data: JSONBody[RefreshIn], platform: NamedDependency[Platform]
    ) -> TokenOut:
        return TokenOut.of(await platform.auth.refresh(data.refresh_token))

    @post(
        "/logout",
        status_code=204,
        exclude_from_auth=True,
        security=[],
        responses=errors(400, 413),
        summary="Revoke the login this refresh token belongs to",
    )
    async def logout(self, data: JSONBody[RefreshIn], platform: NamedDependency[Platform]) -> None:
        await platform.auth.logout(data.refresh_token)

    @post(
        "/logout-everywhere",
        status_code=204,
        security=BEARER,
        responses=errors(401),
        summary="End every login of the calling user: all refresh and access tokens die",
    )
    async def logout_everywhere(
        self, user: NamedDependency[User], platform: NamedDependency[Platform]
    ) -> None:
        await platform.auth.logout_everywhere(user.id)

    @get(
        "/me",
        security=BEARER,
        responses=errors(401),
        summary="The user the access token belongs to",
    )
    async def me(self, user: NamedDependency[User]) -> UserOut:
        return UserOut.of(user)
