"""Every error leaves as ``{"status_code", "detail"}``; domain errors are mapped here, once.

A stack trace never leaves the process: unexpected exceptions are logged (with the request
id) and answered with a plain 500.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec

from wa_agents.domain.model.documents import DocumentTooLarge, UnsupportedMediaType
from wa_agents.domain.model.errors import (
    AlreadyExists,
    AuthenticationFailed,
    DomainError,
    InfrastructureError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
    WaAgentsError,
)
from wa_agents.domain.model.knowledge import DimensionMismatch
from wa_agents.entrypoints.http.middleware import loggable

log = logging.getLogger("wa_agents.http")

STATUS: list[tuple[type[WaAgentsError], int]] = [
    (DocumentTooLarge, 413),
    (UnsupportedMediaType, 415),
    (NotFound, 404),
    (AlreadyExists, 409),
    (ValidationError, 422),
    (AuthenticationFailed, 401),
    (PermissionDenied, 403),
    (InvalidTransition, 409),
    (DimensionMismatch, 409),
    (InfrastructureError, 503),
    (DomainError, 422),
]

DESCRIPTIONS = {
    400: "The request is malformed (bad JSON, wrong types, out-of-range values)",
    401: "Missing, invalid or expired credentials",
    403: "Your role may not do this",
    404: "No such resource",
    409: "Conflicts with the current state (duplicate, or an illegal state change)",
    413: "The request body is too large",
    415: "The body's media type is not one this route accepts",
    422: "The values break a rule of the domain",
    429: "Too many attempts: wait for Retry-After seconds",
}


class ErrorBody(msgspec.Struct):
    status_code: int
    detail: str


def errors(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI responses for the given error codes, all with the one error shape."""
    return {
        code: ResponseSpec(data_container=ErrorBody, description=DESCRIPTIONS[code])
        for code in codes
    }


def status_of(exc: WaAgentsError) -> int:
    return next((code for kind, code in STATUS if isinstance(exc, kind)), 500)


def _body(status: int, detail: str, headers: dict[str, str] | None = None) -> Response[ErrorBody]:
    return Response(ErrorBody(status, detail), status_code=status, headers=headers)


def domain_error(request: Request[Any, Any, Any], exc: WaAgentsError) -> Response[ErrorBody]:
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status >= 500:
        log.warning("%s %s: %s", request.method, loggable(request.url.path), exc)
        return _body(status, "a service we depend on is unavailable; try again shortly")
    return _body(status, str(exc), headers)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ErrorBody]:
    detail = exc.detail
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        problems = [
            f"{item.get('key') or 'body'}: {item.get('message')}"
            for item in exc.extra
            if isinstance(item, dict)
        ]
        detail = "; ".join(problems) or detail
    if exc.status_code >= 500:
        log.error("%s %s: %s", request.method, loggable(request.url.path), detail)
        detail = "internal server error"
    return _body(exc.status_code, detail, dict(exc.headers or {}))


def too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[ErrorBody]:
    """Input nested deeper than the interpreter's stack (JSON ``[[[[…`` ~1000 levels): every
    decoder (Litestar's, the webhook envelope's, the documents route's) and every recursive
    walk of decoded data stops here with a 400, not a 500 and a traceback per request."""
    log.warning("%s %s: input nested too deeply", request.method, loggable(request.url.path))
    return _body(400, "the request body is nested too deeply")


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[ErrorBody]:
    log.exception("unhandled error in %s %s", request.method, loggable(request.url.path))
    return _body(500, "internal server error")


EXCEPTION_HANDLERS = {
    WaAgentsError: domain_error,
    HTTPException: http_error,
    RecursionError: too_deep,
    Exception: unexpected_error,
}
