"""Litestar ``Provide`` callables: every handler dependency is read from the container."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.user import User
from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.sandbox import SandboxService
from wa_agents.entrypoints.http.dto.common import provide_page
from wa_agents.entrypoints.http.throttle import LoginThrottle


def provide_platform(state: State) -> Platform:
    platform: Platform = state.container.platform()
    return platform


def provide_user(request: Request) -> User:  # type: ignore[type-arg]
    user: User = request.user
    return user


def provide_throttle(state: State) -> LoginThrottle:
    throttle: LoginThrottle = state.throttle
    return throttle


def provide_sandbox(state: State) -> SandboxService:
    platform: Platform = state.container.platform()
    if platform.sandbox is None:
        raise NotFound("sandbox", "WA_BRIDGE_URL is set: the sandbox is off")
    return platform.sandbox


DEPENDENCIES = {
    "platform": Provide(provide_platform, sync_to_thread=False),
    "user": Provide(provide_user, sync_to_thread=False),
    "throttle": Provide(provide_throttle, sync_to_thread=False),
    "sandbox": Provide(provide_sandbox, sync_to_thread=False),
    "page": Provide(provide_page, sync_to_thread=False),
}
