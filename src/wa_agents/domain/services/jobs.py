"""JobAdmin: the dead-letter view of the queue, and bringing a dead job back."""

from __future__ import annotations

import contextlib

from wa_agents.domain.model.errors import InvalidTransition, NotFound
from wa_agents.domain.model.job import Job, JobKind, JobStatus
from wa_agents.domain.model.message import MessageStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.services.audit import record_audit
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


class JobAdmin:
    def __init__(
        self, queue: JobQueue, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator
    ) -> None:
        self._queue, self._uow, self._clock, self._ids = queue, uow, clock, ids

    async def list(self, status: JobStatus | None, page: PageRequest) -> Page[Job]:
        return await self._queue.list(status, page)

    async def get(self, job_id: str) -> Job:
        return await self._queue.get(job_id)

    async def retry(self, job_id: str, *, actor: str) -> Job:
        """A dead job runs again from its first attempt; a failed reply is queued again.

        The reply is queued again *before* the job can be claimed: the other way round, a
        worker could take the job, see the reply still failed, and finish without sending it.
        """
        dead = await self._queue.get(job_id)
        if dead.status != JobStatus.DEAD:
            raise InvalidTransition(f"job {job_id} is {dead.status}, only dead jobs are retried")
        async with self._uow() as uow:
            if dead.kind == JobKind.SEND:
                with contextlib.suppress(NotFound):  # the reply may be gone; the job still runs
                    message = await uow.messages.get(str(dead.payload.get("message_id")))
                    if message.status == MessageStatus.FAILED:
                        await uow.messages.update(message.requeued())
            await record_audit(
                uow,
                self._ids,
                self._clock,
                actor=actor,
                action="job.retry",
                target=f"job:{job_id}",
                kind=dead.kind,
            )
            await uow.commit()
        return await self._queue.retry(job_id, now=self._clock.now())
