"""Accepting an inbound WhatsApp message: store once, schedule one turn.

The message and its turn job commit in one unit of work. A redelivery of the same
(session, wa_message_id) changes nothing and reports ``duplicate=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wa_agents.domain.model.conversation import HandoffMode, conversation_key
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.notify import Notifier
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundMessage:
    session_id: str
    from_jid: str
    content: str
    wa_message_id: str | None = None
    message_type: MessageType = MessageType.TEXT
    timestamp: datetime | None = None
    media_url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AcceptResult:
    message: Message
    duplicate: bool
    turn_scheduled: bool


class InboundService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        debounce_ms: int = 2000,
        notify: Notifier | None = None,
    ) -> None:
        self._uow = uow
        self._notify = notify or Notifier()
        self._clock = clock
        self._ids = ids
        self._debounce_ms = debounce_ms

    def to_message(self, inbound: InboundMessage, now: datetime) -> Message:
        """The stored form of what the bridge reported (JID normalised, received)."""
        return Message(
            id=self._ids.new_id(),
            session_id=inbound.session_id,
            contact_jid=normalize_jid(inbound.from_jid),
            direction=Direction.INBOUND,
            content=inbound.content,
            timestamp=inbound.timestamp or now,
            message_type=inbound.message_type,
            media_url=inbound.media_url,
            metadata=dict(inbound.metadata),
            wa_message_id=inbound.wa_message_id,
            status=MessageStatus.RECEIVED,
        )

    async def accept(self, inbound: InboundMessage, *, adopt: bool = False) -> AcceptResult:
        """Store the message once and schedule its turn, in one transaction.

        An unknown session is ``NotFound``; with ``adopt`` (the bridge reports it, so it is
        real) it is created on the spot, pending and without an agent, and nothing is lost.
        """
        now = self._clock.now()
        message = self.to_message(inbound, now)
        jid = message.contact_jid
        async with self._uow() as uow:
            session = await uow.sessions.find(inbound.session_id)
            if session is None:
                if not adopt:
                    raise NotFound("session", inbound.session_id)
                session = Session(id=inbound.session_id, created_at=now, updated_at=now)
                await uow.sessions.add(session)
            if not await uow.messages.add(message):
                existing = await uow.messages.find_by_wa_id(
                    message.session_id, Direction.INBOUND, inbound.wa_message_id or ""
                )
                return AcceptResult(existing or message, duplicate=True, turn_scheduled=False)
            conversation = await uow.conversations.touch(session.id, jid, now)
            scheduled = conversation.mode == HandoffMode.AI
            if scheduled:
                await self._schedule_turn(uow, session, jid, now)
            else:  # a person (or nobody) answers: the agent must never pick it up later
                message = message.with_status(MessageStatus.PROCESSED)
                await uow.messages.update(message)
            await uow.commit()
        await self._notify.message(message)
        return AcceptResult(message, duplicate=False, turn_scheduled=scheduled)

    async def _schedule_turn(
        self, uow: UnitOfWork, session: Session, jid: str, now: datetime
    ) -> None:
        debounce = self._debounce_ms
        if session.agent_id is not None:
            agent = await uow.agents.get(session.agent_id)
            debounce = agent.debounce_ms if agent.debounce_ms is not None else debounce
        await uow.jobs.enqueue(
            JobKind.TURN,
            {"session_id": session.id, "contact_jid": jid},
            key=conversation_key(session.id, jid),
            run_at=now + timedelta(milliseconds=debounce),
            coalesce=True,
        )
