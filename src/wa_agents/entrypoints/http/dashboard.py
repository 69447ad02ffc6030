"""The dashboard: the built single-page app in ``frontend/dist``, served at ``/``.

* ``/assets/*`` are Vite's hashed files: cached for a year, ``immutable``.
* ``/`` and every other GET path that is not the API's (a deep link such as ``/inbox/shop``)
  answer ``index.html`` with ``no-cache``, so a new build is picked up at once; the router in
  the browser shows the page.
* Unknown API paths (``/api/...``, ``/schema/...``, ``/webhooks/...``, ``/assets/...``) keep
  their JSON 404.

Security headers and the page CSP come from ``middleware.request_context`` like every response.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import HttpMethod, Request, Response, route
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.response import File
from litestar.router import Router
from litestar.static_files import create_static_files_router

from wa_agents.entrypoints.http.errors import http_error

YEAR = 365 * 24 * 3600
ASSETS_CACHE = CacheControlHeader(max_age=YEAR, public=True, immutable=True)
PAGE_CACHE = CacheControlHeader(no_cache=True)
NOT_PAGES = ("/api/", "/schema", "/webhooks/", "/assets/", "/health", "/ready", "/metrics")


def is_page(path: str) -> bool:
    """A path the single-page app answers (every other one belongs to the API)."""
    return not path.startswith(NOT_PAGES)


def _index(dist: Path) -> File:
    return File(
        dist / "index.html",
        content_disposition_type="inline",
        media_type="text/html",  # Litestar adds "; charset=utf-8" to a text type
        headers={"Cache-Control": PAGE_CACHE.to_header()},
    )


def dashboard_routes(dist: Path) -> list[HTTPRouteHandler | Router]:
    """``GET /`` and the hashed assets of the build in ``dist``."""

    # HEAD too: uptime checks and `curl -I` ask the root without a body
    @route(
        "/",
        http_method=[HttpMethod.GET, HttpMethod.HEAD],
        include_in_schema=False,
        exclude_from_auth=True,
        name="dashboard",
    )
    async def index() -> File:
        return _index(dist)

    assets = create_static_files_router(
        "/assets",
        directories=[dist / "assets"],
        cache_control=ASSETS_CACHE,
        include_in_schema=False,
        opt={"exclude_from_auth": True},
        name="dashboard-assets",
    )
    return [index, assets]


def page_fallback(dist: Path) -> Any:
    """The 404 handler: a page path gets ``index.html``, an API path its JSON 404."""

    def not_found(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
        if request.method in ("GET", "HEAD") and is_page(request.url.path):
            return _index(dist)
        return http_error(request, exc)

    return not_found
