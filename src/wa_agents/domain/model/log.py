"""Operational log entries and the audit trail."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class LogLevel(enum.StrEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class LogEntry:
    id: str
    level: LogLevel
    source: str
    message: str
    timestamp: datetime
    details: dict[str, Any] = field(default_factory=dict)
    session_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """Who did what to what: every admin action and every AI interaction leaves one."""

    id: str
    actor: str
    action: str
    target: str
    timestamp: datetime
    details: dict[str, Any] = field(default_factory=dict)
