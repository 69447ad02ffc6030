"""Pure ASGI middleware: a request id on every response, security headers, an access log."""

from __future__ import annotations

import logging
import re
import secrets
import time

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from wa_agents.domain.services.correlation import correlation_id
from wa_agents.entrypoints.context import request_id
from wa_agents.ports.telemetry import Telemetry

log = logging.getLogger("wa_agents.http.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

API_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# The dashboard and the API docs page: every script is a file of ours. Media previews are
# fetched with the token (never in a URL) and shown from blob: URLs.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


_TOKEN_PATH = re.compile(r"^(/webhooks/bridge/)[^/]+")


def loggable(path: str) -> str:
    """The path as logs may show it: the zapw webhook's secret path token masked."""
    return _TOKEN_PATH.sub(r"\1***", path)


def _is_api(path: str) -> bool:
    return path.startswith(("/api/", "/health", "/ready", "/webhooks/", "/schema/openapi"))


def request_context(
    app: ASGIApp, telemetry: Telemetry | None = None, allow: dict[str, str] | None = None
) -> ASGIApp:
    """Give each request an id (a caller's safe ``X-Request-ID`` is kept), echo it back,
    add security headers, log one access line when the response starts, and time it by
    route template (``unmatched`` for a path no route has; never the raw path, whose ids
    would make a metric series per entity).

    ``allow`` maps a path template to every method it serves: Litestar answers ``OPTIONS``
    per route object, and one path can have several (one per controller), so its own
    ``Allow`` would list only some of the path's methods."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        given = MutableScopeHeaders(scope).get("x-request-id") or ""
        rid = given if _SAFE_ID.fullmatch(given) else secrets.token_hex(8)
        token = request_id.set(rid)
        correlated = correlation_id.set(rid)  # an operator's send follows its request id
        started = time.monotonic()
        path, method = scope["path"], scope["method"]
        status = [500]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = MutableScopeHeaders(message)
                headers["X-Request-ID"] = rid
                for name, value in API_HEADERS.items():
                    headers[name] = value
                headers["Content-Security-Policy"] = API_CSP if _is_api(path) else PAGE_CSP
                if method == "OPTIONS" and "allow" in headers and allow:
                    headers["Allow"] = allow.get(scope.get("path_template", ""), headers["allow"])
                log.info(
                    "%s %s %s %.0fms",
                    method,
                    loggable(path),
                    message["status"],
                    (time.monotonic() - started) * 1000,
                )
            await send(message)

        try:
            await app(scope, receive, send_with_headers)
        finally:
            request_id.reset(token)
            correlation_id.reset(correlated)
            if telemetry is not None:
                route = str(scope.get("path_template") or "unmatched")
                telemetry.request(route, method, status[0], time.monotonic() - started)

    return middleware
