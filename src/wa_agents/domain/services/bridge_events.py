"""BridgeEventService: what the WhatsApp bridge reports, applied to the domain.

Every method is safe to call again with the same event (webhooks are delivered at least
once): a message is stored once, a receipt never moves a status backwards, a session report
that the state machine refuses is logged and ignored rather than failing the delivery.
A session the bridge knows but we do not is adopted, so its messages are never dropped.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import InvalidTransition
from wa_agents.domain.model.handoff import ModeRequest
from wa_agents.domain.model.jid import is_chat
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.session import Session, validate_session_id
from wa_agents.domain.services.bridge_reports import (
    Applied,
    BridgeEvent,
    MessageEvent,
    ReceiptEvent,
    SessionEvent,
    SessionReport,
    lock_key,
)
from wa_agents.domain.services.group_commit import GroupCommit
from wa_agents.domain.services.handoff import HandoffService
from wa_agents.domain.services.inbound import (
    AcceptResult,
    InboundMessage,
    InboundService,
    adopt_session,
)
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.domain.services.sessions import SessionService
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("wa_agents.bridge")
ECHO_WINDOW = timedelta(minutes=2)
DELIVERY_MEMORY = timedelta(hours=1)  # signed deliveries older than 5 minutes are refused
FORGET_EVERY = timedelta(minutes=1)  # how often this process drops ids past that memory


class BridgeEventService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        inbound: InboundService,
        sessions: SessionService,
        clock: Clock,
        ids: IdGenerator,
        live: LiveEvents | None = None,
        handoff: HandoffService | None = None,
        commits: GroupCommit | None = None,
    ) -> None:
        """``commits`` groups concurrent deliveries into shared transactions (see
        ``group_commit``); without one, each delivery commits alone."""
        self._uow, self._inbound, self._sessions = uow, inbound, sessions
        self._clock, self._ids, self._live = clock, ids, live or LiveEvents()
        self._handoff = handoff or HandoffService(uow, clock, ids, self._live)
        self._commits = commits or GroupCommit(uow)
        self._forgotten_at: datetime | None = None

    async def deliver(self, delivery_id: str, event: BridgeEvent) -> str:
        """Apply one webhook delivery once: an id seen before answers ``"duplicate"`` and
        changes nothing, whatever the event kind. Messages and receipts are applied and
        their id recorded in one transaction (shared with concurrent deliveries by the
        group commit); a session report applies in transactions of its own and its id is
        recorded after it succeeded, so a delivery that failed half way is applied again when
        redelivered (each event is idempotent on its own). Ids older than the signature
        window are forgotten. An empty id (the zapw token route has none) is not
        deduplicated here."""
        if isinstance(event, SessionEvent):
            return await self._deliver_report(delivery_id, event)
        applied = await self._commits.run(
            lambda uow: self._once(uow, delivery_id, event), key=lock_key(event)
        )
        await applied.publish()
        return applied.outcome

    async def _once(self, uow: UnitOfWork, delivery_id: str, event: BridgeEvent) -> Applied:
        # Recorded first, in the transaction that applies the event: one statement both asks
        # and records, a concurrent copy waits on the row and then finds it, and a failure
        # rolls the record back with the rest.
        if delivery_id and not await self._record(uow, delivery_id):
            return Applied("duplicate")
        if isinstance(event, MessageEvent):
            return await self._message(uow, event.inbound, event.from_me)
        if isinstance(event, ReceiptEvent):
            return await self._receipt(uow, event)
        return Applied("ignored")

    async def _record(self, uow: UnitOfWork, delivery_id: str) -> bool:
        """Record the id (False: recorded before); forget old ids at most once a minute."""
        now = self._clock.now()
        recorded = await uow.deliveries.record(delivery_id, now)
        if self._forgotten_at is None or now - self._forgotten_at >= FORGET_EVERY:
            self._forgotten_at = now
            await uow.deliveries.forget_before(now - DELIVERY_MEMORY)
        return recorded

    async def _deliver_report(self, delivery_id: str, event: SessionEvent) -> str:
        if delivery_id:
            seen: bool = await self._commits.run(lambda uow: uow.deliveries.seen(delivery_id))
            if seen:
                return "duplicate"
        outcome = await self.session_report(event.session_id, event.report)
        if delivery_id:
            await self._commits.run(lambda uow: self._record(uow, delivery_id))
        return outcome

    async def adopt(self, session_id: str) -> Session:
        """The session, created (pending, no agent) when the bridge knows it and we do not."""
        async with self._uow() as uow:
            session = await self._adopted(uow, session_id)
            await uow.commit()
        return session

    async def _adopted(self, uow: UnitOfWork, session_id: str) -> Session:
        validate_session_id(session_id)
        found = await uow.sessions.find(session_id)
        return found or await adopt_session(uow, session_id, self._clock.now())

    async def session_report(self, session_id: str, report: SessionReport) -> str:
        """Apply the bridge's view (see ``apply_info``): ``"applied"``; ``"stale"`` for a
        report older (by the bridge's clock) than the last one applied; ``"ignored"`` for a
        move it cannot make (logged, never an error the bridge would retry forever)."""
        session = await self.adopt(session_id)
        if report.status is None:
            return "ignored"
        last = session.status_reported_at
        if report.reported_at is not None and last is not None and report.reported_at < last:
            log.info("ignored a stale %s report for %s", report.status, session_id)
            return "stale"
        try:
            await self._sessions.apply_status(
                session_id,
                report.status,
                qr_code=report.qr_code,
                qr_expires_at=report.qr_expires_at,
                phone_number=report.phone_number,
                display_name=report.display_name,
                reported_at=report.reported_at,
            )
        except InvalidTransition as exc:
            log.warning("ignored bridge report for %s: %s", session_id, exc)
            return "ignored"
        return "applied"

    async def message(self, inbound: InboundMessage, *, from_me: bool = False) -> AcceptResult:
        """Store a message the bridge reported (adopting its session), in one transaction."""
        applied = await self._commits.run(lambda uow: self._message(uow, inbound, from_me))
        await applied.publish()
        assert applied.accepted is not None
        return applied.accepted

    async def receipt(self, session_id: str, wa_message_id: str, status: MessageStatus) -> bool:
        """Sent/delivered/read/failed for one of our messages; False when we do not know it."""
        event = ReceiptEvent(session_id, wa_message_id, status)
        applied = await self._commits.run(lambda uow: self._receipt(uow, event))
        await applied.publish()
        return applied.outcome == "applied"

    async def _message(self, uow: UnitOfWork, inbound: InboundMessage, from_me: bool) -> Applied:
        if from_me:
            return await self._own_message(uow, inbound)
        result = await self._inbound.store(uow, inbound, adopt=True)  # adoption included
        outcome = "ignored" if result.ignored else "duplicate" if result.duplicate else "stored"
        return Applied(outcome, lambda: self._inbound.announce(result), result)

    async def _receipt(self, uow: UnitOfWork, event: ReceiptEvent) -> Applied:
        if event.status is None:
            return Applied("ignored")
        found = await uow.messages.find_by_wa_id(
            event.session_id, Direction.OUTBOUND, event.wa_message_id
        )
        if found is None:
            return Applied("unknown")
        updated = found.with_status(event.status)
        if updated.status == found.status:
            return Applied("applied")
        await uow.messages.update(updated)
        return Applied("applied", lambda: self._live.message(updated, kind="message.status"))

    async def _own_message(self, uow: UnitOfWork, inbound: InboundMessage) -> Applied:
        """The owner wrote from the phone: store it, and hand the chat to them (the agent
        stays quiet there until an operator, the timeout or the resume word brings it back)."""
        await self._adopted(uow, inbound.session_id)
        now = self._clock.now()
        message = self._outbound(inbound, now)
        if not is_chat(message.contact_jid):  # the owner posted a status: not a chat to pause
            return Applied("ignored", accepted=self._inbound.ignored(message))
        if await self._is_known(uow, message):
            known = AcceptResult(message, duplicate=True, turn_scheduled=False)
            return Applied("duplicate", accepted=known)
        await uow.messages.add(message)
        conversation = await uow.conversations.touch(message.session_id, message.contact_jid, now)
        change = None
        if conversation.mode == HandoffMode.AI:
            request = ModeRequest(
                HandoffMode.HUMAN, "owner", "the owner replied from the phone", False
            )
            change = await self._handoff.apply(uow, conversation, request)

        async def published() -> None:
            await self._live.message(message)
            await self._handoff.published(change)

        stored = AcceptResult(message, duplicate=False, turn_scheduled=False)
        return Applied("stored", published, stored)

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
