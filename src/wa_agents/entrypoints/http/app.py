"""The Litestar app factory: routes, auth, guards, error mapping, OpenAPI, static dashboard."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp

from wa_agents.entrypoints.container import Container
from wa_agents.entrypoints.http.controllers.agents import AgentController
from wa_agents.entrypoints.http.controllers.auth import AuthController
from wa_agents.entrypoints.http.controllers.conversations import ConversationController
from wa_agents.entrypoints.http.controllers.events import EventController
from wa_agents.entrypoints.http.controllers.health import HealthController
from wa_agents.entrypoints.http.controllers.jobs import JobController
from wa_agents.entrypoints.http.controllers.logs import ReadController
from wa_agents.entrypoints.http.controllers.sandbox import SandboxController
from wa_agents.entrypoints.http.controllers.sessions import SessionController
from wa_agents.entrypoints.http.controllers.users import UserController
from wa_agents.entrypoints.http.deps import DEPENDENCIES
from wa_agents.entrypoints.http.errors import EXCEPTION_HANDLERS
from wa_agents.entrypoints.http.lifespan import make_lifespan
from wa_agents.entrypoints.http.middleware import request_context
from wa_agents.entrypoints.http.security import BearerAuthentication
from wa_agents.entrypoints.http.throttle import LoginThrottle
from wa_agents.entrypoints.settings import Settings
from wa_agents.entrypoints.webhook.controller import WebhookController

MAX_BODY = 1024 * 1024  # 1 MiB: the largest legitimate body is an agent's 20 000-char prompt
CONTROLLERS = [
    HealthController,
    AuthController,
    UserController,
    AgentController,
    SessionController,
    ConversationController,
    SandboxController,
    ReadController,
    EventController,
    JobController,
    WebhookController,
]
DASHBOARD = Path(__file__).resolve().parents[4] / "frontend" / "dist"


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="wa_agents",
        version="1",
        path="/schema",
        description="Admin API of wa_agents. Errors are always {status_code, detail}.",
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
            }
        ),
    )


def create_app(
    container: Container,
    *,
    throttle: LoginThrottle | None = None,
    workers: int | None = None,
    dashboard: Path | None = DASHBOARD,
) -> Litestar:
    """The API. ``workers`` overrides ``WA_WORKERS`` (0: none, e.g. when a test drives jobs)."""
    settings: Settings = container.settings()
    handlers: list[type | Router] = list(CONTROLLERS)
    if dashboard is not None and (dashboard / "index.html").is_file():
        handlers.append(
            create_static_files_router(
                "/", directories=[dashboard], html_mode=True, include_in_schema=False
            )
        )
    cors = CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None
    return Litestar(
        route_handlers=handlers,
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[DefineMiddleware(BearerAuthentication, exclude=["^/schema"])],
        state=State({"container": container, "throttle": throttle or LoginThrottle()}),
        lifespan=[make_lifespan(container, workers=workers)],
        openapi_config=_openapi(),
        cors_config=cors,
        request_max_body_size=MAX_BODY,
        debug=False,
        logging_config=None,  # the process configures logging (entrypoints.logging_setup)
    )


def asgi(app: Litestar) -> ASGIApp:
    """What the server runs: the app wrapped so EVERY response (404s too) has a request id
    and the security headers."""
    return request_context(app)
