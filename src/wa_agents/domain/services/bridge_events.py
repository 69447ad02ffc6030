"""BridgeEventService: what the WhatsApp bridge reports, applied to the domain.

Every method is safe to call again with the same event (webhooks are delivered at least
once): a message is stored once, a receipt never moves a status backwards, a session report
that the state machine refuses is logged and ignored rather than failing the delivery.
A session the bridge knows but we do not is adopted, so its messages are never dropped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import InvalidTransition
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.session import Session, SessionStatus, validate_session_id
from wa_agents.domain.services.inbound import AcceptResult, InboundMessage, InboundService
from wa_agents.domain.services.notify import Notifier
from wa_agents.domain.services.sessions import SessionService
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("wa_agents.bridge")
ECHO_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionReport:
    status: SessionStatus | None  # None: nothing to record (e.g. "connecting" before first link)
    qr_code: str | None = None
    qr_expires_at: datetime | None = None
    phone_number: str | None = None
    display_name: str | None = None


class BridgeEventService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        inbound: InboundService,
        sessions: SessionService,
        clock: Clock,
        ids: IdGenerator,
        notify: Notifier | None = None,
    ) -> None:
        self._uow, self._inbound, self._sessions = uow, inbound, sessions
        self._clock, self._ids, self._notify = clock, ids, notify or Notifier()

    async def adopt(self, session_id: str) -> Session:
        """The session, created (pending, no agent) when the bridge knows it and we do not."""
        validate_session_id(session_id)
        async with self._uow() as uow:
            found = await uow.sessions.find(session_id)
            if found is not None:
                return found
            now = self._clock.now()
            session = Session(id=session_id, created_at=now, updated_at=now)
            await uow.sessions.add(session)
            await uow.commit()
        log.warning("adopted session %s reported by the bridge", session_id)
        return session

    async def session_report(self, session_id: str, report: SessionReport) -> Session:
        """Apply the bridge's view (see ``apply_info``); a move it cannot make is logged and
        ignored, never an error the bridge would retry forever."""
        session = await self.adopt(session_id)
        if report.status is None:
            return session
        try:
            return await self._sessions.apply_status(
                session_id,
                report.status,
                qr_code=report.qr_code,
                qr_expires_at=report.qr_expires_at,
                phone_number=report.phone_number,
                display_name=report.display_name,
            )
        except InvalidTransition as exc:
            log.warning("ignored bridge report for %s: %s", session_id, exc)
            return session

    async def message(self, inbound: InboundMessage, *, from_me: bool = False) -> AcceptResult:
        if from_me:
            await self.adopt(inbound.session_id)
            return await self._own_message(inbound)
        return await self._inbound.accept(inbound, adopt=True)  # one transaction, adoption included

    async def receipt(self, session_id: str, wa_message_id: str, status: MessageStatus) -> bool:
        """Sent/delivered/read/failed for one of our messages; False when we do not know it."""
        async with self._uow() as uow:
            found = await uow.messages.find_by_wa_id(session_id, Direction.OUTBOUND, wa_message_id)
            if found is None:
                return False
            updated = found.with_status(status)
            if updated.status == found.status:
                return True
            await uow.messages.update(updated)
            await uow.commit()
        await self._notify.message(updated, kind="message.status")
        return True

    async def _own_message(self, inbound: InboundMessage) -> AcceptResult:
        """The owner wrote from the phone: store it, and pause the agent in that chat."""
        now = self._clock.now()
        async with self._uow() as uow:
            message = self._outbound(inbound, now)
            if await self._is_known(uow, message):
                return AcceptResult(message, duplicate=True, turn_scheduled=False)
            await uow.messages.add(message)
            conversation = await uow.conversations.touch(
                message.session_id, message.contact_jid, now
            )
            if conversation.mode == HandoffMode.AI:
                await uow.conversations.update(conversation.with_mode(HandoffMode.PAUSED))
            await uow.commit()
        await self._notify.message(message)
        return AcceptResult(message, duplicate=False, turn_scheduled=False)

    def _outbound(self, inbound: InboundMessage, now: datetime) -> Message:
        accepted = self._inbound.to_message(inbound, now)
        return replace(
            accepted,
            direction=Direction.OUTBOUND,
            status=MessageStatus.SENT,
            metadata={**accepted.metadata, "from_me": True},
        )

    @staticmethod
    async def _is_known(uow: UnitOfWork, message: Message) -> bool:
        """Ours already: the same WhatsApp id, or the echo of a reply we just sent."""
        wa_id = message.wa_message_id or ""
        if await uow.messages.find_by_wa_id(message.session_id, Direction.OUTBOUND, wa_id):
            return True
        recent = await uow.messages.recent(message.session_id, message.contact_jid, limit=20)
        return any(
            m.direction == Direction.OUTBOUND
            and not m.metadata.get("from_me")
            and m.content == message.content
            # still queued: its send may have gone out before we recorded the WhatsApp id
            and (
                m.status == MessageStatus.QUEUED
                or abs(m.timestamp - message.timestamp) <= ECHO_WINDOW
            )
            for m in recent
        )
