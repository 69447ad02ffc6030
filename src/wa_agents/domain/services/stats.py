"""StatsService: the numbers on the dashboard's front page.

"Today" and the daily series follow the caller's time zone (the browser's), so a day starts
at the operator's midnight, not at UTC's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from wa_agents.domain.model.job import Job, JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import MAX_LIMIT, PageRequest
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.clock import Clock
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.messages import MessageRepository
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

DAYS = 7  # the length of the daily series


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    inbound: int
    outbound: int


@dataclass(frozen=True, slots=True)
class Stats:
    users: int
    agents: int
    sessions: dict[SessionStatus, int]
    messages_inbound: int
    messages_outbound: int
    jobs: dict[JobStatus, int]
    today: DayCount
    failed_today: int
    failed_total: int
    oldest_pending: Job | None
    daily: list[DayCount]  # the last DAYS days, oldest first, today last


def midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


async def _day(messages: MessageRepository, day: date, zone: tzinfo) -> DayCount:
    since, until = midnight(day, zone), midnight(day + timedelta(days=1), zone)
    inbound = await messages.count(direction=Direction.INBOUND, since=since, until=until)
    outbound = await messages.count(direction=Direction.OUTBOUND, since=since, until=until)
    return DayCount(day, inbound, outbound)


async def _sessions_by_status(uow: UnitOfWork) -> dict[SessionStatus, int]:
    sessions = dict.fromkeys(SessionStatus, 0)
    offset, total = 0, 1
    while offset < total:
        page = await uow.sessions.list(PageRequest(limit=MAX_LIMIT, offset=offset))
        for session in page.items:
            sessions[session.status] += 1
        offset, total = offset + MAX_LIMIT, page.total
    return sessions


class StatsService:
    def __init__(self, uow: UnitOfWorkFactory, queue: JobQueue, clock: Clock) -> None:
        self._uow, self._queue, self._clock = uow, queue, clock

    async def collect(self, zone: tzinfo = UTC) -> Stats:
        today = self._clock.now().astimezone(zone).date()
        async with self._uow() as uow:
            users = await uow.users.count()
            agents = (await uow.agents.list(PageRequest(limit=1))).total
            sessions = await _sessions_by_status(uow)
            inbound = await uow.messages.count(direction=Direction.INBOUND)
            outbound = await uow.messages.count(direction=Direction.OUTBOUND)
            days = [today - timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
            daily = [await _day(uow.messages, day, zone) for day in days]
            failed = MessageStatus.FAILED
            failed_total = await uow.messages.count(status=failed)
            failed_today = await uow.messages.count(status=failed, since=midnight(today, zone))
        return Stats(
            users,
            agents,
            sessions,
            inbound,
            outbound,
            await self._queue.counts(),
            daily[-1],
            failed_today,
            failed_total,
            await self._queue.oldest(JobStatus.PENDING),
            daily,
        )
