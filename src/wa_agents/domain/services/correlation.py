"""The correlation id: one id that follows a message from its webhook through its turn to its
send, across processes. Entry points set it; job payloads carry it (``CORRELATION_KEY``); the
job runner restores it before a handler runs; log lines print it."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

CORRELATION_KEY = "correlation_id"
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def with_correlation(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` plus the current correlation id, when there is one."""
    current = correlation_id.get()
    return {**payload, CORRELATION_KEY: current} if current else payload
