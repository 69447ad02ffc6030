"""The operational log, the audit trail and the dashboard counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.services.stats import Stats


class LogOut(msgspec.Struct):
    id: str
    level: LogLevel
    source: str
    message: str
    details: dict[str, Any]
    session_id: str | None
    timestamp: datetime

    @classmethod
    def of(cls, e: LogEntry) -> LogOut:
        return cls(e.id, e.level, e.source, e.message, dict(e.details), e.session_id, e.timestamp)


class LogPage(msgspec.Struct):
    items: list[LogOut]
    total: int
    limit: int
    offset: int


class AuditOut(msgspec.Struct):
    id: str
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    timestamp: datetime

    @classmethod
    def of(cls, e: AuditEntry) -> AuditOut:
        return cls(e.id, e.actor, e.action, e.target, dict(e.details), e.timestamp)


class AuditPage(msgspec.Struct):
    items: list[AuditOut]
    total: int
    limit: int
    offset: int


class StatsOut(msgspec.Struct):
    users: int
    agents: int
    sessions: dict[str, int]
    messages: dict[str, int]
    jobs: dict[str, int]

    @classmethod
    def of(cls, s: Stats) -> StatsOut:
        return cls(
            s.users,
            s.agents,
            {status.value: n for status, n in s.sessions.items()},
            {"inbound": s.messages_inbound, "outbound": s.messages_outbound},
            {status.value: n for status, n in s.jobs.items()},
        )
