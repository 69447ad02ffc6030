"""Who is calling (a bearer access token) and what their role lets them do.

``BearerAuthentication`` resolves the token to an active ``User`` on every request not marked
``exclude_from_auth``; a missing, malformed, expired or foreign token is a 401. Guards then
compare the user's role with the one the route needs: viewer < operator < admin.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from wa_agents.domain.model.errors import AuthenticationFailed, PermissionDenied
from wa_agents.domain.model.user import Role, User
from wa_agents.domain.services.platform import Platform


def bearer_token(connection: ASGIConnection) -> str:  # type: ignore[type-arg]
    """The access token from ``Authorization: Bearer``, never from the URL (URLs end up in
    logs; the live event stream takes a single-use ticket instead)."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    raise AuthenticationFailed("a bearer access token is required")


class BearerAuthentication(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self,
        connection: ASGIConnection,  # type: ignore[type-arg]
    ) -> AuthenticationResult:
        platform: Platform = connection.app.state.container.platform()
        token = bearer_token(connection)
        user = await platform.auth.authenticate(token)
        return AuthenticationResult(user=user, auth=token)


def requires(role: Role) -> Guard:
    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        if connection.scope.get("method") == "OPTIONS":
            return  # Litestar's automatic OPTIONS answer (CORS preflight) carries no credentials
        user = connection.scope.get("user")
        if not isinstance(user, User) or not user.role.allows(role):
            raise PermissionDenied(f"this needs the {role.value} role")

    guard.__name__ = f"requires_{role.value}"
    return guard


BEARER: list[dict[str, list[str]]] = [
    {"bearer": []}
]  # OpenAPI: the routes that need an access token say so
VIEWER = requires(Role.VIEWER)
OPERATOR = requires(Role.OPERATOR)
ADMIN = requires(Role.ADMIN)
