"""The correlation id of the request (or job) being served, for every log line."""

from __future__ import annotations

import logging
from contextvars import ContextVar

from wa_agents.domain.services.correlation import correlation_id

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` and ``record.correlation_id`` to every record, so any
    formatter can print them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.correlation_id = correlation_id.get() or "-"
        return True
