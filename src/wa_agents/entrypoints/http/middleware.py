"""Pure ASGI middleware: a request id on every response, security headers, an access log."""

from __future__ import annotations

import logging
import re
import secrets
import time

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from wa_agents.entrypoints.context import request_id

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
PAGE_CSP = (  # the dashboard and the API docs page
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline' https:; "
    "script-src 'self' 'unsafe-inline' https:; font-src 'self' https: data:; "
    "connect-src 'self'; frame-ancestors 'none'"
)


_TOKEN_PATH = re.compile(r"^(/webhooks/bridge/)[^/]+")


def loggable(path: str) -> str:
    """The path as logs may show it: the zapw webhook's secret path token masked."""
    return _TOKEN_PATH.sub(r"\1***", path)


def _is_api(path: str) -> bool:
    return path.startswith(("/api/", "/health", "/ready", "/webhooks/", "/schema/openapi"))


def request_context(app: ASGIApp) -> ASGIApp:
    """Give each request an id (a caller's safe ``X-Request-ID`` is kept), echo it back,
    add security headers, and log one access line when the response starts."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        given = MutableScopeHeaders(scope).get("x-request-id") or ""
        rid = given if _SAFE_ID.fullmatch(given) else secrets.token_hex(8)
        token = request_id.set(rid)
        started = time.monotonic()
        path, method = scope["path"], scope["method"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders(message)
                headers["X-Request-ID"] = rid
                for name, value in API_HEADERS.items():
                    headers[name] = value
                headers["Content-Security-Policy"] = API_CSP if _is_api(path) else PAGE_CSP
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

    return middleware
