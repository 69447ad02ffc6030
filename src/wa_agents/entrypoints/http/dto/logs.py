"""The operational log, the audit trail and the dashboard counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.services.stats import DayCount, Stats


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


class DayOut(msgspec.Struct):
    day: date
    inbound: int
    outbound: int

    @classmethod
    def of(cls, d: DayCount) -> DayOut:
        return cls(d.day, d.inbound, d.outbound)


class QueueOut(msgspec.Struct):
    depth: int  # pending + running jobs
    oldest_run_at: datetime | None  # the pending job due first: how far behind the queue is
    oldest_kind: str | None


class StatsOut(msgspec.Struct):
    users: int
    agents: int
    sessions: dict[str, int]
    messages: dict[str, int]  # inbound, outbound (all time) and failed (sends that gave up)
    jobs: dict[str, int]
    today: DayOut  # messages received (inbound) and replies (outbound) since midnight
    failed_today: int
    queue: QueueOut
    daily: list[DayOut]  # the last 7 days, oldest first

    @classmethod
    def of(cls, s: Stats) -> StatsOut:
        oldest = s.oldest_pending
        depth = s.jobs[JobStatus.PENDING] + s.jobs[JobStatus.RUNNING]
        return cls(
            s.users,
            s.agents,
            {status.value: n for status, n in s.sessions.items()},
            {
                "inbound": s.messages_inbound,
                "outbound": s.messages_outbound,
                "failed": s.failed_total,
            },
            {status.value: n for status, n in s.jobs.items()},
            DayOut.of(s.today),
            s.failed_today,
            QueueOut(depth, oldest.run_at if oldest else None, oldest.kind if oldest else None),
            [DayOut.of(d) for d in s.daily],
        )
