"""``GET /metrics`` on the API port: the Prometheus text, for a bearer ``WA_METRICS_TOKEN``.

Unset token: 404 (metrics are then only on ``WA_METRICS_PORT``, if set). Not in the OpenAPI
document: it is for Prometheus, not for API clients.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.exceptions import NotAuthorizedException, NotFoundException

from wa_agents.entrypoints.metrics import authorized, scrape
from wa_agents.entrypoints.settings import Settings


class MetricsController(Controller):
    @get("/metrics", exclude_from_auth=True, include_in_schema=False)
    async def metrics(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        container = request.app.state.container
        settings: Settings = container.settings()
        if not settings.metrics_token:
            raise NotFoundException(
                "metrics are not served on this port: set WA_METRICS_TOKEN (or WA_METRICS_PORT)"
            )
        if not authorized(settings, request.headers.get("authorization")):
            raise NotAuthorizedException("GET /metrics needs Authorization: Bearer <token>")
        body, content_type = await scrape(container)
        return Response(body, media_type=content_type)
