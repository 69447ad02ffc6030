"""ApprovalService: tool calls that wait for an operator, and the turns they suspended.

A turn that reaches a call needing approval stores an ``Approval`` (``open``, inside the
turn's own unit of work, with an ``approval_expiry`` job at its expiry time). Approving,
rejecting or expiring decides it once (a conditional update: two deciders, one winner) and
enqueues ONE ``approval_resume`` job on the conversation's key. That job runs the approved
call once (its result is stored before the model sees it, so a retry does not call again),
lets the model answer, and writes the reply together with ``finish``: a rerun finds the
approval finished and writes nothing. So each approval ends in exactly one reply.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from typing import Any

from wa_agents.domain.model.approval import Approval, ApprovalStatus
from wa_agents.domain.model.chat import TokenUsage
from wa_agents.domain.model.conversation import HandoffMode, conversation_key
from wa_agents.domain.model.errors import InvalidTransition
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.tools import ToolResult
from wa_agents.domain.model.transcript import call_from_json, call_to_json, from_json, to_json
from wa_agents.domain.services.agent_turn import AgentService, Suspension, TurnResult
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.domain.services.replies import queue_reply
from wa_agents.domain.services.toolbox import ToolCatalog
from wa_agents.domain.services.tools import ToolContext
from wa_agents.domain.services.turn_records import record_turn
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("wa_agents.approvals")
SYSTEM = "system"


def told(approval: Approval) -> ToolResult:
    """What the model reads for a call that did not run."""
    if approval.status == ApprovalStatus.REJECTED:
        why = f" Reason: {approval.reason}" if approval.reason else ""
        return ToolResult(
            "error: an operator rejected this call; it was not run. Do not try it again; "
            f"tell the user it was not done.{why}",
            is_error=True,
        )
    return ToolResult(
        "error: no operator approved this call in time; it was not run. Tell the user it "
        "was not done and that they may ask again later.",
        is_error=True,
    )


class ApprovalService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        agents: AgentService,
        catalog: ToolCatalog,
        clock: Clock,
        ids: IdGenerator,
        live: LiveEvents,
        expiry_seconds: float = 3600,
        knowledge: VectorIndex | None = None,
    ) -> None:
        self._uow, self._agents, self._catalog = uow, agents, catalog
        self._clock, self._ids, self._live = clock, ids, live
        self._expiry = timedelta(seconds=expiry_seconds)
        self._knowledge = knowledge

    async def open(
        self,
        uow: UnitOfWork,
        *,
        agent_id: str,
        session_id: str,
        contact_jid: str,
        suspension: Suspension,
        answered: list[str],
    ) -> Approval:
        """Store the approval inside the caller's unit of work (it commits with the turn)."""
        now = self._clock.now()
        approval = Approval(
            id=self._ids.new_id(),
            agent_id=agent_id,
            session_id=session_id,
            contact_jid=contact_jid,
            tool=suspension.call.name,
            arguments=suspension.call.arguments,
            created_at=now,
            expires_at=now + self._expiry,
            state={
                "call": call_to_json(suspension.call),
                "messages": to_json(suspension.messages),
                "later": [call_to_json(c) for c in suspension.later],
                "made": suspension.made,
                "usage": [suspension.usage.prompt_tokens, suspension.usage.completion_tokens],
                "answered": answered,
            },
        )
        await uow.approvals.add(approval)
        await uow.jobs.enqueue(
            JobKind.APPROVAL_EXPIRY, {"approval_id": approval.id}, run_at=approval.expires_at
        )
        await record_audit(
            uow,
            self._ids,
            self._clock,
            actor=f"agent:{agent_id}",
            action="approval.requested",
            target=approval.conversation_id,
            approval_id=approval.id,
            tool=approval.tool,
        )
        return approval

    async def requested(self, approval: Approval) -> None:
        await self._live.approval(approval, kind="approval.requested")

    async def list(self, status: ApprovalStatus | None, page: PageRequest) -> Page[Approval]:
        async with self._uow() as uow:
            return await uow.approvals.list(status, page)

    async def get(self, approval_id: str) -> Approval:
        async with self._uow() as uow:
            return await uow.approvals.get(approval_id)

    async def approve(self, approval_id: str, *, by: str) -> Approval:
        return await self._decide(approval_id, ApprovalStatus.APPROVED, by, None)

    async def reject(self, approval_id: str, *, by: str, reason: str | None = None) -> Approval:
        return await self._decide(approval_id, ApprovalStatus.REJECTED, by, reason)

    async def _decide(
        self, approval_id: str, status: ApprovalStatus, by: str, reason: str | None
    ) -> Approval:
        async with self._uow() as uow:
            approval = await uow.approvals.get(approval_id)
            late = self._clock.now() >= approval.expires_at
            if (
                status != ApprovalStatus.EXPIRED
                and late
                and approval.status == ApprovalStatus.PENDING
            ):
                raise InvalidTransition(f"approval {approval_id!r} has expired")
            decided = approval.decide(status, by=by, now=self._clock.now(), reason=reason)
            if not await uow.approvals.decide(decided):
                raise InvalidTransition(f"approval {approval_id!r} was decided already")
            await uow.jobs.enqueue(
                JobKind.APPROVAL_RESUME,
                {"approval_id": approval_id},
                key=conversation_key(approval.session_id, approval.contact_jid),
            )
            await record_audit(
                uow,
                self._ids,
                self._clock,
                actor=by,
                action=f"approval.{status.value}",
                target=approval.conversation_id,
                approval_id=approval_id,
                tool=approval.tool,
                reason=reason,
            )
            await uow.commit()
        await self._live.approval(decided, kind="approval.decided")
        return decided

    async def expire(self, payload: dict[str, Any]) -> None:
        """The ``approval_expiry`` job: a still-pending approval past its time expires."""
        approval = await self.get(payload["approval_id"])
        if approval.status != ApprovalStatus.PENDING:
            return
        if self._clock.now() < approval.expires_at:  # a clock behind the queue's: come back
            async with self._uow() as uow:
                await uow.jobs.enqueue(JobKind.APPROVAL_EXPIRY, payload, run_at=approval.expires_at)
                await uow.commit()
            return
        with contextlib.suppress(InvalidTransition):  # an operator decided meanwhile
            await self._decide(approval.id, ApprovalStatus.EXPIRED, SYSTEM, "expired")

    async def resume(self, payload: dict[str, Any]) -> None:
        """The ``approval_resume`` job: run the approved call (once), then the model, then
        write its one reply."""
        approval = await self.get(payload["approval_id"])
        if approval.finished_at is not None or approval.status == ApprovalStatus.PENDING:
            return
        async with self._uow() as uow:
            agent = await uow.agents.get(approval.agent_id)
        ctx = ToolContext(
            approval.session_id,
            approval.contact_jid,
            agent.id,
            self._uow,
            self._clock,
            self._knowledge,
        )
        toolbox = await self._catalog.toolbox(agent)
        state = approval.state
        call = call_from_json(state["call"])
        if approval.status != ApprovalStatus.APPROVED:
            result = told(approval)
        elif approval.result is not None:
            result = ToolResult(approval.result["text"], is_error=approval.result["is_error"])
        else:
            result = await toolbox.run(call, ctx)
            async with self._uow() as uow:
                saved = {"text": result.text, "is_error": result.is_error}
                await uow.approvals.save_result(approval.id, saved)
                await uow.commit()
        suspension = Suspension(
            call,
            from_json(state["messages"]),
            tuple(call_from_json(c) for c in state["later"]),
            list(state["made"]),
            TokenUsage(*state["usage"]),
        )
        turn = await self._agents.resume(agent, suspension, result, ctx, toolbox)
        await self._finish(approval, turn)

    async def _finish(self, approval: Approval, turn: TurnResult) -> None:
        now = self._clock.now()
        reply = None
        chained: Approval | None = None
        async with self._uow() as uow:
            if not await uow.approvals.finish(approval.id, now):
                return  # a rerun: the reply was written by the first run
            conversation = await uow.conversations.touch(
                approval.session_id, approval.contact_jid, now
            )
            answered = list(approval.state.get("answered", []))
            if turn.suspended is not None:
                chained = await self.open(
                    uow,
                    agent_id=approval.agent_id,
                    session_id=approval.session_id,
                    contact_jid=approval.contact_jid,
                    suspension=turn.suspended,
                    answered=answered,
                )
            elif conversation.mode == HandoffMode.AI:
                metadata = {"in_reply_to": answered, "approval_id": approval.id}
                metadata.update(turn.explained())
                reply = await queue_reply(
                    uow,
                    self._ids,
                    now,
                    approval.session_id,
                    approval.contact_jid,
                    turn.text,
                    metadata,
                )
                await record_turn(
                    uow, self._ids, self._clock, approval.agent_id, reply, turn,
                    approval_id=approval.id,
                )  # fmt: skip
            await uow.commit()
        if reply is not None:
            await self._live.message(reply)
        if chained is not None:
            await self.requested(chained)
