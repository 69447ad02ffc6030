"""TurnService: answer what a contact sent since the last turn — exactly once.

Reads in one unit of work, thinks (model, tools) outside any transaction, then writes the
replies, their send jobs and the "processed" marks in one unit of work. A crash before that
commit means the turn runs again; after it, the rerun finds nothing to do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.command import parse_command
from wa_agents.domain.model.conversation import Conversation, HandoffMode, conversation_key
from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.history import conversational
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.services.agent_turn import AgentService, TurnResult
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.commands import CommandContext, CommandService
from wa_agents.domain.services.notify import Notifier
from wa_agents.domain.services.tools import ToolContext
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.messaging import MessagingGateway
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

HISTORY_LIMIT = 200


class TurnRaced(WaAgentsError):
    """Two runs of one turn overlapped and split its messages; the job retries what is left."""


log = logging.getLogger("wa_agents.turns")


@dataclass(frozen=True, slots=True)
class _Reply:
    text: str
    turn: TurnResult | None = None
    command: str | None = None


@dataclass(frozen=True, slots=True)
class _Snapshot:
    conversation: Conversation
    agent: Agent | None
    pending: list[Message]
    history: list[Message]


class TurnService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        agents: AgentService,
        commands: CommandService,
        clock: Clock,
        ids: IdGenerator,
        knowledge: VectorIndex | None = None,
        notify: Notifier | None = None,
        gateway: MessagingGateway | None = None,
    ) -> None:
        self._uow, self._agents, self._commands = uow, agents, commands
        self._notify = notify or Notifier()
        self._gateway = gateway  # for the "typing…" indicator while the agent thinks
        self._clock, self._ids, self._knowledge = clock, ids, knowledge

    async def _read(self, session_id: str, contact_jid: str) -> _Snapshot:
        async with self._uow() as uow:
            session = await uow.sessions.get(session_id)
            conversation = await uow.conversations.get_or_create(
                session_id, contact_jid, self._clock.now()
            )
            agent = await uow.agents.get(session.agent_id) if session.agent_id else None
            pending = await uow.messages.with_status(
                session_id, contact_jid, Direction.INBOUND, MessageStatus.RECEIVED
            )
            history = await uow.messages.recent(
                session_id, contact_jid, limit=HISTORY_LIMIT, since=conversation.memory_reset_at
            )
        return _Snapshot(conversation, agent, pending, history)

    async def handle(self, session_id: str, contact_jid: str) -> list[Message]:
        """Answer the pending inbound messages; returns the queued replies."""
        snap = await self._read(session_id, contact_jid)
        if not snap.pending:
            return []
        replies: list[_Reply] = []
        if snap.conversation.mode == HandoffMode.AI:
            await self._presence(session_id, contact_jid, "composing")
            try:
                replies = await self._think(snap)
            finally:
                if not replies:  # a reply ends "typing…" by itself; silence must end it
                    await self._presence(session_id, contact_jid, "paused")
        return await self._write(session_id, contact_jid, snap, replies)

    async def _presence(self, session_id: str, contact_jid: str, state: str) -> None:
        """Best effort: a bridge without presence, or one that is down, must not stop a turn."""
        if self._gateway is None:
            return
        try:
            await self._gateway.send_presence(session_id, contact_jid, state)
        except Exception as exc:
            log.debug("presence %s for %s/%s failed: %s", state, session_id, contact_jid, exc)

    async def _think(self, snap: _Snapshot) -> list[_Reply]:
        replies: list[_Reply] = []
        chat_group: list[Message] = []
        media_answered = False
        for message in snap.pending:
            command = (
                parse_command(message.content) if message.message_type == MessageType.TEXT else None
            )
            if command is not None:
                replies += await self._chat(snap, chat_group)
                chat_group = []
                ctx = CommandContext(message.session_id, message.contact_jid, snap.agent, message)
                text = await self._commands.execute(command, ctx)
                replies.append(_Reply(text, command=command.raw_name))
            elif message.content.strip():
                chat_group.append(message)
            elif not media_answered and snap.agent is not None:
                media_answered = True
                replies.append(_Reply(snap.agent.unsupported_media_reply))
        replies += await self._chat(snap, chat_group)
        return replies

    async def _chat(self, snap: _Snapshot, group: list[Message]) -> list[_Reply]:
        if not group or snap.agent is None or not snap.agent.is_active:
            return []
        last = group[-1]
        cut = next(
            (i for i, m in enumerate(snap.history) if m.id == last.id), len(snap.history) - 1
        )
        history = conversational(snap.history[: cut + 1])
        ctx = ToolContext(
            last.session_id,
            last.contact_jid,
            snap.agent.id,
            self._uow,
            self._clock,
            self._knowledge,
        )
        result = await self._agents.reply(snap.agent, history, ctx)
        return [_Reply(result.text, result)]

    async def _write(
        self, session_id: str, contact_jid: str, snap: _Snapshot, replies: list[_Reply]
    ) -> list[Message]:
        now = self._clock.now()
        queued: list[Message] = []
        async with self._uow() as uow:
            answered = [m.id for m in snap.pending]
            claimed = await uow.messages.mark_processed(answered)
            if claimed == 0:
                return []  # another run answered all of them: answering again would double it
            if claimed < len(answered):
                raise TurnRaced(f"another turn answered part of {contact_jid}'s messages")
            conversation = await uow.conversations.touch(session_id, contact_jid, now)
            if conversation.mode != HandoffMode.AI:  # handed over while the agent was thinking
                replies = [r for r in replies if r.turn is None]
            for reply in replies:
                metadata: dict[str, Any] = {"in_reply_to": answered}
                if reply.turn is not None:
                    metadata.update(model=reply.turn.model, **reply.turn.metadata)
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
                await uow.jobs.enqueue(
                    JobKind.SEND,
                    {"message_id": out.id},
                    key=conversation_key(session_id, contact_jid),
                )
                queued.append(out)
                if reply.turn is not None:
                    await self._audit(uow, snap, out, reply.turn)
            await uow.commit()
        for out in queued:
            await self._notify.message(out)
        return queued

    async def _audit(
        self, uow: UnitOfWork, snap: _Snapshot, out: Message, turn: TurnResult
    ) -> None:
        await record_audit(
            uow,
            self._ids,
            self._clock,
            actor=f"agent:{snap.agent.id if snap.agent else '-'}",
            action="ai.reply",
            target=f"{out.session_id}/{out.contact_jid}",
            model=turn.model,
            tool_calls=turn.tool_calls,
            latency_ms=turn.latency_ms,
            prompt_tokens=turn.usage.prompt_tokens,
            completion_tokens=turn.usage.completion_tokens,
            message_id=out.id,
        )
