"""``/schema``: Swagger UI on our OpenAPI document, working offline.

Litestar's own render plugins load their scripts from a CDN and start them with an inline
script; this one serves Swagger UI's files from the ``swagger-ui-bundle-v2`` package under
``/schema/assets/`` and starts it from a file of ours, so the page CSP needs neither a CDN nor
``'unsafe-inline'`` scripts.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

OWN_ASSETS = Path(__file__).with_name("static")
ASSETS = "/assets"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wa_agents API</title>
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-url="{schema}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""


class LocalSwaggerUI(OpenAPIRenderPlugin):
    """Swagger UI with every file served by us."""

    def __init__(self, path: str | list[str] = "/swagger") -> None:
        super().__init__(path=path)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        schema = self.get_openapi_json_route(request)
        assets = schema.rsplit("/", 1)[0] + ASSETS
        page = PAGE.format(assets=html.escape(assets), schema=html.escape(schema))
        return page.encode()

    def receive_router(self, router: Router) -> None:
        router.register(
            create_static_files_router(
                ASSETS,
                directories=[Path(str(swagger_ui_path)), OWN_ASSETS],
                cache_control=CacheControlHeader(max_age=3600, public=True),
                include_in_schema=False,
                name="openapi-assets",
            )
        )
