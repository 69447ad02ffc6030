"""TurnService: answer what a contact sent since the last turn — exactly once.

Reads in one unit of work, thinks (model, tools) outside any transaction, then writes the
replies, their send jobs and the "processed" marks in one unit of work. A crash before that
commit means the turn runs again; after it, the rerun finds nothing to do.

Run as a job (``run``), that same unit of work completes the turn job (fenced by its lease:
a run that lost it commits nothing) and enqueues the first reply's send already leased to
the same worker, which sends it next without claiming it (``TurnOutcome.send``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.approval import Approval
from wa_agents.domain.model.chat import TokenUsage
from wa_agents.domain.model.command import parse_command
from wa_agents.domain.model.conversation import Conversation, HandoffMode, conversation_key
from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.handoff import HandoffPolicy, ModeRequest, TurnEffects
from wa_agents.domain.model.history import conversational
from wa_agents.domain.model.hours import OutsideHours
from wa_agents.domain.model.jid import is_chat
from wa_agents.domain.model.job import Job, JobKind, JobLease, JobStatus
from wa_agents.domain.model.log import LogLevel
from wa_agents.domain.model.media import is_waiting
from wa_agents.domain.model.media_text import fallback_reply, model_text
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.agent_turn import AgentService, TurnResult
from wa_agents.domain.services.approvals import ApprovalService
from wa_agents.domain.services.budgets import (
    BUDGET_EXCEEDED,
    log_over_budget,
    over_budget,
    over_budget_handoff,
)
from wa_agents.domain.services.commands import CommandContext, CommandService
from wa_agents.domain.services.correlation import with_correlation
from wa_agents.domain.services.handoff import HandoffService
from wa_agents.domain.services.indexing import schedule_conversation
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.domain.services.logs import LogService
from wa_agents.domain.services.media_turn import turn_images
from wa_agents.domain.services.sending import Outgoing
from wa_agents.domain.services.toolbox import ToolCatalog
from wa_agents.domain.services.tools import ToolContext
from wa_agents.domain.services.turn_records import record_turn
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.media import MediaStore
from wa_agents.ports.messaging import MessagingGateway
from wa_agents.ports.telemetry import Telemetry
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

HISTORY_LIMIT = 200
ALREADY_AI = "You are talking to the assistant already."


class TurnRaced(WaAgentsError):
    """Two runs of one turn overlapped and split its messages; the job retries what is left."""


log = logging.getLogger("wa_agents.turns")


@dataclass(frozen=True, slots=True)
class _Reply:
    text: str
    turn: TurnResult | None = None
    command: str | None = None
    metadata: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """What a turn job's run did. ``completed``: the job was completed with the replies (else
    the runner completes it). ``send``: the first reply's send job, leased to this worker, and
    ``outgoing`` what that send needs (carried: the send reads nothing again)."""

    replies: list[Message] = field(default_factory=list)
    completed: bool = False
    send: Job | None = None
    outgoing: Outgoing | None = None


@dataclass(frozen=True, slots=True)
class _Fence:
    job: Job  # the turn job this run holds
    lease: timedelta  # how long the follow-up send is leased to the same worker


@dataclass(frozen=True, slots=True)
class _Snapshot:
    conversation: Conversation
    agent: Agent | None
    pending: list[Message]
    history: list[Message]
    session: Session | None = None

    @property
    def handoff(self) -> HandoffPolicy:
        return self.agent.handoff if self.agent is not None else HandoffPolicy()


class TurnService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        agents: AgentService,
        commands: CommandService,
        clock: Clock,
        ids: IdGenerator,
        knowledge: VectorIndex | None = None,
        live: LiveEvents | None = None,
        gateway: MessagingGateway | None = None,
        catalog: ToolCatalog | None = None,
        approvals: ApprovalService | None = None,
        handoff: HandoffService | None = None,
        logs: LogService | None = None,
        media: MediaStore | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        self._uow, self._agents, self._commands = uow, agents, commands
        self._catalog, self._approvals = catalog, approvals  # HTTP/MCP tools; approvals
        self._telemetry = telemetry
        self._live = live or LiveEvents()
        self._handoff = handoff or HandoffService(uow, clock, ids, self._live)
        self._logs = logs  # operational failures the dashboard's log shows
        self._gateway = gateway  # for the "typing…" indicator while the agent thinks
        self._clock, self._ids, self._knowledge = clock, ids, knowledge
        self._media = media  # images for vision-capable agents

    async def _read(self, session_id: str, contact_jid: str) -> _Snapshot:
        async with self._uow() as uow:
            session, agent, conversation = await uow.sessions.for_turn(session_id, contact_jid)
            if conversation is None:  # the webhook stores it with the message: rarely missing
                conversation = await uow.conversations.get_or_create(
                    session_id, contact_jid, self._clock.now()
                )
            received, history = await uow.messages.turn_window(
                session_id, contact_jid, limit=HISTORY_LIMIT, since=conversation.memory_reset_at
            )
            pending = [m for m in received if not is_waiting(m)]  # media still being fetched
        return _Snapshot(conversation, agent, pending, history, session)

    async def handle(self, session_id: str, contact_jid: str) -> list[Message]:
        """Answer the pending inbound messages; returns the queued replies."""
        return (await self._handle(session_id, contact_jid, None)).replies

    async def run(self, job: Job, lease: timedelta) -> TurnOutcome:
        """The turn job: ``handle`` that also completes ``job`` with the replies and leases
        the first reply's send to ``job``'s worker for ``lease`` (see the module doc)."""
        p = job.payload
        return await self._handle(p["session_id"], p["contact_jid"], _Fence(job, lease))

    async def _handle(self, session_id: str, contact_jid: str, fence: _Fence | None) -> TurnOutcome:
        if not is_chat(contact_jid):  # a turn queued before inbound refused these: no answer
            return TurnOutcome()
        snap = await self._read(session_id, contact_jid)
        if not snap.pending:
            return TurnOutcome()
        replies: list[_Reply] = []
        effects = TurnEffects()
        if snap.conversation.mode == HandoffMode.AI:
            await self._presence(session_id, contact_jid, "composing")
            try:
                replies = await self._think(snap, effects)
            finally:
                said = [r for r in replies if r.turn is None or r.turn.suspended is None]
                if not said:  # a reply ends "typing…" by itself; silence (or a wait) must end it
                    await self._presence(session_id, contact_jid, "paused")
        else:
            replies = await self._control(snap, effects)
        return await self._write(session_id, contact_jid, snap, replies, effects, fence)

    async def _presence(self, session_id: str, contact_jid: str, state: str) -> None:
        """Best effort: a bridge without presence, or one that is down, must not stop a turn."""
        if self._gateway is None:
            return
        try:
            await self._gateway.send_presence(session_id, contact_jid, state)
        except Exception as exc:
            log.debug("presence %s for %s/%s failed: %s", state, session_id, contact_jid, exc)

    async def _control(self, snap: _Snapshot, effects: TurnEffects) -> list[_Reply]:
        """A person (or nobody) answers: only the resume word and commands get a reply."""
        replies: list[_Reply] = []
        for message in snap.pending:
            text = message.content if message.message_type == MessageType.TEXT else ""
            if snap.handoff.is_resume_word(text):
                effects.mode = ModeRequest(HandoffMode.AI, "user", f"the user sent {text.strip()}")
            elif (command := parse_command(text)) is not None:
                ctx = CommandContext(
                    message.session_id,
                    message.contact_jid,
                    snap.agent,
                    message,
                    snap.conversation.mode,
                    effects,
                )
                reply = await self._commands.execute(command, ctx)
                replies.append(_Reply(reply, command=command.raw_name))
        return replies

    async def _think(self, snap: _Snapshot, effects: TurnEffects) -> list[_Reply]:
        replies: list[_Reply] = []
        chat_group: list[Message] = []
        media_answered = False
        for message in snap.pending:
            is_text = message.message_type == MessageType.TEXT
            command = parse_command(message.content) if is_text else None
            if is_text and snap.handoff.is_resume_word(message.content):
                replies.append(_Reply(ALREADY_AI, command="resume"))
            elif command is not None:
                replies += await self._chat(snap, chat_group, effects)
                chat_group = []
                ctx = CommandContext(
                    message.session_id, message.contact_jid, snap.agent, message, effects=effects
                )
                text = await self._commands.execute(command, ctx)
                replies.append(_Reply(text, command=command.raw_name))
            elif (model_text(message, snap.agent) if snap.agent else message.content).strip():
                chat_group.append(message)
            elif is_text:
                continue  # whitespace-only text is not media: there is nothing to answer
            elif not media_answered and snap.agent is not None:
                media_answered = True
                replies.append(_Reply(fallback_reply(message, snap.agent)))
        replies += await self._chat(snap, chat_group, effects)
        return replies

    async def _chat(
        self, snap: _Snapshot, group: list[Message], effects: TurnEffects
    ) -> list[_Reply]:
        if not group or (effects.mode is not None and effects.mode.mode != HandoffMode.AI):
            return []  # handed off earlier in this turn: the person answers the rest
        if snap.agent is None:
            await self._log_unanswered(group[-1])
            return []
        if not snap.agent.is_active:
            return []
        hours = snap.agent.hours
        if (
            hours is not None
            and hours.outside == OutsideHours.HANDOFF
            and not hours.is_open(self._clock.now())
        ):
            effects.mode = ModeRequest(
                HandoffMode.HUMAN, "hours", "outside business hours", announce=False
            )
            return [_Reply(hours.message, metadata={"out_of_hours": True})]
        last = group[-1]
        cut = next(
            (i for i, m in enumerate(snap.history) if m.id == last.id), len(snap.history) - 1
        )
        agent = snap.agent
        history = [
            replace(m, content=model_text(m, agent))
            for m in conversational(snap.history[: cut + 1])
        ]
        images = await turn_images(self._media, agent, group)
        spent = await over_budget(self._uow, agent, self._clock.now())
        if spent is not None:
            meta: dict[str, Any] = {BUDGET_EXCEEDED: True, "handed_off": True}
            meta.update(month_tokens=spent.tokens, month_cost_usd=spent.cost_usd)
            turn = TurnResult(agent.budget.message, "budget", TokenUsage(), metadata=meta)
            return [_Reply(turn.text, turn)]
        ctx = ToolContext(
            last.session_id,
            last.contact_jid,
            snap.agent.id,
            self._uow,
            self._clock,
            self._knowledge,
            effects,
        )
        toolbox = await self._catalog.toolbox(snap.agent) if self._catalog else None
        result = await self._agents.reply(
            snap.agent, history, ctx, toolbox, snap.conversation.memory, images
        )
        return [_Reply(result.text, result)]

    async def _log_unanswered(self, message: Message) -> None:
        log.warning(
            "session %s has no agent: message %s not answered", message.session_id, message.id
        )
        if self._logs is not None:
            await self._logs.log(
                LogLevel.WARNING,
                "turns",
                "a message was not answered: the session has no agent",
                session_id=message.session_id,
                contact_jid=message.contact_jid,
                message_id=message.id,
            )

    async def _write(
        self,
        session_id: str,
        contact_jid: str,
        snap: _Snapshot,
        replies: list[_Reply],
        effects: TurnEffects,
        fence: _Fence | None = None,
    ) -> TurnOutcome:
        now = self._clock.now()
        queued: list[Message] = []
        opened: list[Approval] = []
        send: Job | None = None
        async with self._uow() as uow:
            answered = [m.id for m in snap.pending]
            claimed = await uow.messages.mark_processed(answered)
            if claimed == 0:
                return TurnOutcome()  # another run answered them all: answering again doubles
            if claimed < len(answered):
                raise TurnRaced(f"another turn answered part of {contact_jid}'s messages")
            if fence is not None:  # LeaseLost: another worker has the turn, nothing commits
                await uow.jobs.complete(fence.job)
            conversation = await uow.conversations.touch(session_id, contact_jid, now)
            request = effects.mode
            if conversation.mode != snap.conversation.mode:  # changed hands while thinking:
                replies = [r for r in replies if r.turn is None]  # the agent's answer is moot
                request = None  # and so is the switch this turn asked for
            conversation = await self._remember(uow, snap, conversation, replies)
            for reply in replies:
                if reply.turn is not None and reply.turn.suspended is not None:
                    opened.append(await self._suspend(uow, snap, reply.turn, answered))
                    continue
                if not reply.text:
                    continue  # answered by the switch's notice (/human)
                metadata: dict[str, Any] = {"in_reply_to": answered, **(reply.metadata or {})}
                if reply.turn is not None:
                    metadata.update(reply.turn.explained())
                if reply.command is not None:
                    metadata["command"] = reply.command
                out = Message(
                    id=self._ids.new_id(),
                    session_id=session_id,
                    contact_jid=contact_jid,
                    direction=Direction.OUTBOUND,
                    content=reply.text,
                    timestamp=now,
                    status=MessageStatus.QUEUED,
                    metadata=metadata,
                )
                await uow.messages.add(out)
                lease = None
                if fence is not None and send is None:  # this worker sends it next
                    assert fence.job.worker_id is not None, "a turn job runs claimed"
                    lease = JobLease(fence.job.worker_id, now + fence.lease)
                job = await uow.jobs.enqueue(
                    JobKind.SEND,
                    with_correlation({"message_id": out.id}),
                    key=conversation_key(session_id, contact_jid),
                    lease=lease,
                )
                if lease is not None and job.status == JobStatus.RUNNING:  # not queued behind
                    send, first_reply = job, out  # an earlier send of the conversation
                queued.append(out)
                if reply.turn is not None and reply.turn.metadata.get(BUDGET_EXCEEDED):
                    request = await self._over_budget(uow, snap, conversation, reply.turn)
                elif reply.turn is not None:
                    await self._record(uow, snap, out, reply.turn)
            change = None
            if request is not None:  # after the replies: the notice is the last word
                change = await self._handoff.apply(uow, conversation, request)
                if change is not None and change.notice is not None:
                    queued.append(change.notice)
            if queued:  # replies are searchable too
                await schedule_conversation(uow, session_id, contact_jid, now)
            await uow.commit()
        for out in queued:
            if change is None or out is not change.notice:
                await self._live.message(out)
        for approval in opened:
            if self._approvals is not None:
                await self._approvals.requested(approval)
        await self._handoff.published(change)
        if send is None:
            return TurnOutcome(queued, completed=fence is not None)
        answered_at = snap.pending[0].timestamp
        outgoing = Outgoing(first_reply, snap.session, answered_at=answered_at)
        return TurnOutcome(queued, True, send, outgoing)

    async def _suspend(
        self, uow: UnitOfWork, snap: _Snapshot, turn: TurnResult, answered: list[str]
    ) -> Approval:
        """The turn stopped before a call that needs approval: store the approval instead of
        a reply (the reply comes when it is decided or expires)."""
        assert turn.suspended is not None and snap.agent is not None
        if self._approvals is None:
            raise WaAgentsError("a tool needs approval but this host has no approvals service")
        return await self._approvals.open(
            uow,
            agent_id=snap.agent.id,
            session_id=snap.conversation.session_id,
            contact_jid=snap.conversation.contact_jid,
            suspension=turn.suspended,
            answered=answered,
        )

    async def _remember(
        self, uow: UnitOfWork, snap: _Snapshot, conversation: Conversation, replies: list[_Reply]
    ) -> Conversation:
        """Store a new rolling summary, unless a /reset came in between (it forgets it)."""
        memory = next((r.turn.memory for r in replies if r.turn and r.turn.memory), None)
        if memory is None or conversation.memory_reset_at != snap.conversation.memory_reset_at:
            return conversation
        remembered = conversation.remembering(memory)
        await uow.conversations.update(remembered)
        return remembered

    async def _over_budget(
        self, uow: UnitOfWork, snap: _Snapshot, conversation: Conversation, turn: TurnResult
    ) -> ModeRequest:
        """Log the warning; the switch goes through the handoff machine with the others."""
        agent_id = snap.agent.id if snap.agent else "-"
        spent = {k: turn.metadata[k] for k in ("month_tokens", "month_cost_usd")}
        await log_over_budget(uow, conversation, agent_id, spent, self._clock, self._ids)
        return over_budget_handoff(agent_id)

    async def _record(
        self, uow: UnitOfWork, snap: _Snapshot, out: Message, turn: TurnResult
    ) -> None:
        if self._telemetry is not None:
            self._telemetry.turn(
                snap.agent.id if snap.agent else "-",
                tools=[str(call.get("name", "?")) for call in turn.tool_calls],
                llm_seconds=turn.latency_ms / 1000,
                tokens_in=turn.usage.prompt_tokens,
                tokens_out=turn.usage.completion_tokens,
            )
        agent_id = snap.agent.id if snap.agent else None
        await record_turn(uow, self._ids, self._clock, agent_id, out, turn)
