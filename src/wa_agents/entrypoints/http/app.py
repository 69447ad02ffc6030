"""The Litestar app factory: routes, auth, guards, error mapping, OpenAPI, static dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.exceptions import NotFoundException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp

from wa_agents.entrypoints.container import Container
from wa_agents.entrypoints.http.controllers.agents import AgentController
from wa_agents.entrypoints.http.controllers.approvals import ApprovalController
from wa_agents.entrypoints.http.controllers.auth import AuthController
from wa_agents.entrypoints.http.controllers.contacts import ContactController
from wa_agents.entrypoints.http.controllers.conversations import ConversationController
from wa_agents.entrypoints.http.controllers.documents import DocumentController
from wa_agents.entrypoints.http.controllers.events import EventController
from wa_agents.entrypoints.http.controllers.governor import GovernorController
from wa_agents.entrypoints.http.controllers.health import HealthController
from wa_agents.entrypoints.http.controllers.inbox import InboxController
from wa_agents.entrypoints.http.controllers.jobs import JobController
from wa_agents.entrypoints.http.controllers.logs import ReadController
from wa_agents.entrypoints.http.controllers.media import MediaController
from wa_agents.entrypoints.http.controllers.media_send import MediaSendController
from wa_agents.entrypoints.http.controllers.metrics import MetricsController
from wa_agents.entrypoints.http.controllers.sandbox import SandboxController
from wa_agents.entrypoints.http.controllers.search import SearchController
from wa_agents.entrypoints.http.controllers.sessions import SessionController
from wa_agents.entrypoints.http.controllers.tools import (
    AgentToolController,
    HttpToolController,
    McpServerController,
)
from wa_agents.entrypoints.http.controllers.usage import UsageController
from wa_agents.entrypoints.http.controllers.users import UserController
from wa_agents.entrypoints.http.dashboard import dashboard_routes, page_fallback
from wa_agents.entrypoints.http.deps import DEPENDENCIES
from wa_agents.entrypoints.http.docs_page import LocalSwaggerUI
from wa_agents.entrypoints.http.errors import EXCEPTION_HANDLERS
from wa_agents.entrypoints.http.lifespan import make_lifespan
from wa_agents.entrypoints.http.middleware import request_context
from wa_agents.entrypoints.http.security import BearerAuthentication
from wa_agents.entrypoints.http.throttle import LoginThrottle, WebhookLimit
from wa_agents.entrypoints.settings import Settings
from wa_agents.entrypoints.webhook.controller import WebhookController

MAX_BODY = 1024 * 1024  # 1 MiB: the largest legitimate body is an agent's 20 000-char prompt
CONTROLLERS = [
    HealthController,
    MetricsController,
    AuthController,
    UserController,
    AgentController,
    DocumentController,
    HttpToolController,
    McpServerController,
    AgentToolController,
    ApprovalController,
    SearchController,
    SessionController,
    GovernorController,
    ConversationController,
    InboxController,
    MediaController,
    MediaSendController,
    SandboxController,
    ReadController,
    EventController,
    JobController,
    UsageController,
    ContactController,
    WebhookController,
]
DASHBOARD = Path(__file__).resolve().parents[4] / "frontend" / "dist"


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="wa_agents",
        version="1",
        path="/schema",
        render_plugins=[LocalSwaggerUI(path=["/", "/swagger"])],
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
    dashboard: Path | None = None,
) -> Litestar:
    """The API. ``workers`` overrides ``WA_WORKERS`` (0: none, e.g. when a test drives jobs).
    ``dashboard``: a built frontend to serve at ``/`` (``serve`` passes ``DASHBOARD``)."""
    settings: Settings = container.settings()
    handlers: list[Any] = list(CONTROLLERS)
    exception_handlers: dict[Any, Any] = dict(EXCEPTION_HANDLERS)
    if dashboard is not None and (dashboard / "index.html").is_file():
        handlers += dashboard_routes(dashboard)
        exception_handlers[NotFoundException] = page_fallback(dashboard)
    cors = CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None
    return Litestar(
        route_handlers=handlers,
        dependencies=DEPENDENCIES,
        exception_handlers=exception_handlers,
        middleware=[DefineMiddleware(BearerAuthentication, exclude=["^/schema"])],
        state=State(
            {
                "container": container,
                "throttle": throttle or LoginThrottle(windows=container.hit_windows()),
                "webhook_limit": WebhookLimit(settings.webhook_rate_limit, container.hit_windows()),
            }
        ),
        lifespan=[make_lifespan(container, workers=workers)],
        openapi_config=_openapi(),
        cors_config=cors,
        request_max_body_size=MAX_BODY,
        debug=False,
        logging_config=None,  # the process configures logging (entrypoints.logging_setup)
    )


def asgi(app: Litestar) -> ASGIApp:
    """What the server runs: the app wrapped so EVERY response (404s too) has a request id
    and the security headers, and is timed for ``wa_http_request_duration_seconds``."""
    return request_context(app, app.state.container.telemetry(), allow=_allowed_methods(app))


def _allowed_methods(app: Litestar) -> dict[str, str]:
    """Every HTTP path template with all the methods any of its routes serves."""
    methods: dict[str, set[str]] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            methods.setdefault(route.path_format, set()).update(route.methods)
    return {path: ", ".join(sorted(found)) for path, found in methods.items()}
