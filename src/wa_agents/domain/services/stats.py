"""StatsService: the counts on the dashboard's front page."""

from __future__ import annotations

from dataclasses import dataclass

from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.message import Direction
from wa_agents.domain.model.page import MAX_LIMIT, PageRequest
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    agents: int
    sessions: dict[SessionStatus, int]
    messages_inbound: int
    messages_outbound: int
    jobs: dict[JobStatus, int]


class StatsService:
    def __init__(self, uow: UnitOfWorkFactory, queue: JobQueue) -> None:
        self._uow, self._queue = uow, queue

    async def collect(self) -> Stats:
        sessions = dict.fromkeys(SessionStatus, 0)
        async with self._uow() as uow:
            users = await uow.users.count()
            agents = (await uow.agents.list(PageRequest(limit=1))).total
            offset, total = 0, 1
            while offset < total:
                page = await uow.sessions.list(PageRequest(limit=MAX_LIMIT, offset=offset))
                for session in page.items:
                    sessions[session.status] += 1
                offset, total = offset + MAX_LIMIT, page.total
            inbound = await uow.messages.count(direction=Direction.INBOUND)
            outbound = await uow.messages.count(direction=Direction.OUTBOUND)
        return Stats(users, agents, sessions, inbound, outbound, await self._queue.counts())
