"""The message pipeline's job handlers: what a worker does with each kind of job.

``Platform`` wires the services; this maps job kinds to them, so a worker (in-process or
``wa-agents worker``) runs exactly the same code whatever host built the platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from wa_agents.domain.model.job import Job, JobKind
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.services.approvals import ApprovalService
from wa_agents.domain.services.handoff import HandoffService
from wa_agents.domain.services.indexing import IndexingService
from wa_agents.domain.services.job_runner import Done, Handler
from wa_agents.domain.services.logs import LogService
from wa_agents.domain.services.media import MediaService
from wa_agents.domain.services.sending import Outgoing, SendService
from wa_agents.domain.services.turns import TurnService


class Pipeline:
    def __init__(
        self,
        turns: TurnService,
        sender: SendService,
        indexing: IndexingService | None = None,
        approvals: ApprovalService | None = None,
        handoff: HandoffService | None = None,
        logs: LogService | None = None,
        media: MediaService | None = None,
        lease: timedelta = timedelta(seconds=20),
    ) -> None:
        self._turns, self._sender, self._indexing = turns, sender, indexing
        self._lease = lease  # the runners' lease: a turn's send is leased to its worker as long
        self._approvals = approvals
        self._handoff, self._logs = handoff, logs
        self._media = media

    @property
    def handlers(self) -> Mapping[str, Handler]:
        return {
            JobKind.TURN: self.run_turn,
            JobKind.SEND: self.run_send,
            JobKind.INDEX: self.run_index,
            JobKind.HANDOFF_TIMEOUT: self.run_handoff_timeout,
            **self._approval_handlers(),
            JobKind.MEDIA: self.run_media,
        }

    async def run_media(self, job: Job) -> None:
        if self._media is not None:
            await self._media.run(job.payload["message_id"])

    async def run_handoff_timeout(self, job: Job) -> None:
        if self._handoff is not None:
            p = job.payload
            await self._handoff.expire(p["session_id"], p["contact_jid"], p["changed_at"])

    def _approval_handlers(self) -> dict[str, Handler]:
        if self._approvals is None:
            return {}
        approvals = self._approvals

        async def expire(job: Job) -> None:
            await approvals.expire(job.payload)

        async def resume(job: Job) -> None:
            await approvals.resume(job.payload)

        return {JobKind.APPROVAL_EXPIRY: expire, JobKind.APPROVAL_RESUME: resume}

    async def run_index(self, job: Job) -> None:
        """Without a vector index (a host that gave none) an index job has nothing to do."""
        if self._indexing is not None:
            await self._indexing.run(job.payload)

    async def run_turn(self, job: Job) -> Done | None:
        """The turn completes its job with its replies; its first reply's send, leased to
        this worker, runs next with what the turn already read."""
        outcome = await self._turns.run(job, self._lease)
        if not outcome.completed:
            return None
        outgoing = outcome.outgoing
        if outcome.send is None or outgoing is None:
            return Done()

        async def send(send_job: Job) -> Done | None:
            return await self._deliver(outgoing, send_job)

        return Done(then=outcome.send, run=send)

    async def run_send(self, job: Job) -> Done | None:
        return await self._deliver(await self._sender.load(job.payload["message_id"]), job)

    async def _deliver(self, outgoing: Outgoing, job: Job) -> Done | None:
        await self._sender.deliver(outgoing, job)
        return Done() if outgoing.due else None  # a due reply's job ends with its "sent"

    async def on_dead(self, job: Job, error: str) -> None:
        """A job past its attempts: a reply that will never go out is marked failed."""
        if job.kind == JobKind.SEND:
            await self._sender.mark_failed(job.payload["message_id"], error)
        if job.kind == JobKind.MEDIA and self._media is not None:
            await self._media.gave_up(job.payload["message_id"], error)
        if job.kind == JobKind.INDEX and self._indexing is not None:
            await self._indexing.gave_up(job.payload, error)
        if job.kind == JobKind.TURN and self._logs is not None:
            await self._logs.log(
                LogLevel.ERROR,
                "pipeline",
                f"a turn is dead after {job.attempts} attempts: its messages are not answered",
                session_id=job.payload.get("session_id"),
                contact_jid=job.payload.get("contact_jid"),
                job_id=job.id,
                error=error[:500],
            )
