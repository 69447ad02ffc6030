"""MetricsSnapshot: the gauges read from shared state at scrape time.

Queue backlog by kind, sessions by status, each number's health and the circuit breakers.
The database and the governor's store are shared, so every process reports the same values
for these: aggregate them with ``max``, never ``sum`` (docs/operations.md#metrics).
"""

from __future__ import annotations

from wa_agents.domain.model.circuit import CircuitState
from wa_agents.domain.model.metrics import Snapshot
from wa_agents.domain.model.page import MAX_LIMIT, PageRequest
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.circuit_breakers import CircuitBreakers
from wa_agents.domain.services.governor import SendGovernor
from wa_agents.ports.clock import Clock
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

CIRCUIT_VALUES = {CircuitState.CLOSED: 0, CircuitState.HALF_OPEN: 1, CircuitState.OPEN: 2}


class MetricsSnapshot:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        queue: JobQueue,
        clock: Clock,
        breakers: CircuitBreakers,
        governor: SendGovernor,
    ) -> None:
        self._uow, self._queue, self._clock = uow, queue, clock
        self._breakers, self._governor = breakers, governor

    async def collect(self) -> Snapshot:
        now = self._clock.now()
        backlog = await self._queue.backlog(now)
        sessions = await self._sessions()
        by_status: dict[str, int] = {}
        health: dict[str, float] = {}
        for session in sessions:
            by_status[session.status.value] = by_status.get(session.status.value, 0) + 1
            policy = self._governor.policy(session.send_policy, session.send_min_interval_ms)
            report = await self._governor.report(session.id, policy, session.created_at)
            health[session.id] = report.health
        return Snapshot(
            backlog=backlog,
            oldest_age={
                b.kind: max(0.0, (now - b.oldest_due).total_seconds()) if b.oldest_due else 0.0
                for b in backlog
            },
            sessions=by_status,
            health=health,
            circuits={
                "model": CIRCUIT_VALUES[self._breakers.model.state(now)],
                "bridge": CIRCUIT_VALUES[self._breakers.gateway.state(now)],
            },
        )

    async def _sessions(self) -> list[Session]:
        found: list[Session] = []
        async with self._uow() as uow:
            offset, total = 0, 1
            while offset < total:
                page = await uow.sessions.list(PageRequest(limit=MAX_LIMIT, offset=offset))
                found.extend(page.items)
                offset, total = offset + MAX_LIMIT, page.total
        return found
