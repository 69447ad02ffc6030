"""SendService: deliver one queued reply through the gateway, at most once on WhatsApp.

The message id is the idempotency key, so a retry after a timeout (the bridge may have sent)
cannot produce a second WhatsApp message. Every send asks the number's ``SendGovernor`` first
(budgets, warm-up, pacing, pauses): a deferred send raises ``SendDeferred`` and its job waits in
the queue. A restriction reported by the bridge pauses the number and defers the send the same
way. ``SessionNotConnected`` and ``BridgeUnavailable`` propagate: the job runner keeps the job
(waiting, or retrying with backoff).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from wa_agents.domain.model.errors import NotFound, NumberRestricted, SendDeferred
from wa_agents.domain.model.job import Job
from wa_agents.domain.model.media import media_of
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.governor import SendGovernor
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.ports.clock import Clock
from wa_agents.ports.media import MediaStore
from wa_agents.ports.messaging import MessagingGateway, OutgoingMedia
from wa_agents.ports.telemetry import Telemetry
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

HISTORY_FOR_FIRST_CONTACT = 100  # a contact without an inbound message in these never wrote


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A reply to send and what its send needs to know: read by ``load``, or carried from
    the turn that wrote it (so the send that follows a turn reads nothing again)."""

    message: Message
    session: Session | None
    first_contact: bool = False
    answered_at: datetime | None = None  # when the first message it answers arrived

    @property
    def due(self) -> bool:
        m = self.message
        return m.direction == Direction.OUTBOUND and m.status == MessageStatus.QUEUED


class SendService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        gateway: MessagingGateway,
        governor: SendGovernor,
        clock: Clock,
        live: LiveEvents | None = None,
        telemetry: Telemetry | None = None,
        media: MediaStore | None = None,
    ) -> None:
        self._uow, self._gateway, self._governor, self._clock = uow, gateway, governor, clock
        self._media = media  # where the files of operators' media messages are
        self._live = live or LiveEvents()
        self._telemetry = telemetry

    async def send(self, message_id: str, job: Job | None = None) -> Message:
        """Send one queued reply; with ``job`` (its send job), the job is completed in the
        unit of work that marks the reply sent."""
        return await self.deliver(await self.load(message_id), job)

    async def load(self, message_id: str) -> Outgoing:
        async with self._uow() as uow:
            message = await uow.messages.get(message_id)
            session = await uow.sessions.find(message.session_id)
            first = await _first_contact(uow, message)
            answered_at = await self._answered_at(uow, message)
        return Outgoing(message, session, first, answered_at)

    async def deliver(self, out: Outgoing, job: Job | None = None) -> Message:
        """Send ``out`` (nothing when it is not a queued reply: ``out.due`` is False), then
        mark it sent and complete ``job`` in one unit of work. ``LeaseLost`` there means
        another worker took the job over: it sends again with the same idempotency key,
        which the bridge answers with this send's result, and marks it sent."""
        message, session, first = out.message, out.session, out.first_contact
        if not out.due:
            return message  # already sent (or not ours to send): nothing to do
        await self._wait_for_slot(message, session, first)
        try:
            wa_id = await self._deliver(message)
        except NumberRestricted as exc:
            self._count("restricted")
            await self._governor.restricted(message.session_id, exc.reason, exc.retry_after)
            await self._wait_for_slot(message, session, first)  # paused now: this defers
            raise  # (unreachable unless the pause was lifted at once)
        async with self._uow() as uow:
            await uow.messages.mark_sent(message.id, wa_id)  # False: gone, or marked already
            if job is not None:
                await uow.jobs.complete(job)
            await uow.commit()
        sent = message.sent_as(wa_id)
        self._observe_latency(out)
        self._count("sent")
        await self._live.message(sent, kind="message.status")
        return sent

    async def _deliver(self, message: Message) -> str:
        media = media_of(message)
        if media is None or media.key is None or self._media is None:
            return await self._gateway.send_text(
                message.session_id, message.contact_jid, message.content, idempotency_key=message.id
            )
        data = b"".join([chunk async for chunk in await self._media.open(media.key)])
        outgoing = OutgoingMedia(
            kind=media.kind,
            mime_type=media.mime_type or "application/octet-stream",
            data=data,
            caption=message.content,
            filename=media.filename,
        )
        return await self._gateway.send_media(
            message.session_id, message.contact_jid, outgoing, idempotency_key=message.id
        )

    async def _wait_for_slot(self, message: Message, session: Session | None, first: bool) -> None:
        overrides = session.send_policy if session is not None else None
        interval = session.send_min_interval_ms if session is not None else None
        policy = self._governor.policy(overrides, interval)
        linked = session.created_at if session is not None else self._clock.now()
        try:
            grant = await self._governor.reserve(
                message.session_id, policy, first_contact=first, linked_at=linked
            )
        except SendDeferred:
            self._count("deferred")
            raise
        await self._governor.wait_for(grant)

    async def _answered_at(self, uow: UnitOfWork, message: Message) -> datetime | None:
        answered = message.metadata.get("in_reply_to") or []
        if self._telemetry is None or not answered:
            return None
        first = await uow.messages.find(str(answered[0]))
        return None if first is None else first.timestamp

    def _observe_latency(self, out: Outgoing) -> None:
        if self._telemetry is not None and out.answered_at is not None:
            latency = self._clock.now() - out.answered_at
            self._telemetry.reply_latency(latency.total_seconds())

    def _count(self, outcome: str) -> None:
        if self._telemetry is not None:
            self._telemetry.sent(outcome)

    async def mark_failed(self, message_id: str, error: str) -> None:
        async with self._uow() as uow:
            try:
                message = await uow.messages.get(message_id)
            except NotFound:
                return  # nothing to mark: the reply itself is gone
            if message.status == MessageStatus.QUEUED:
                failed = message.with_status(MessageStatus.FAILED)
                await uow.messages.update(
                    replace(failed, metadata={**failed.metadata, "error": error})
                )
                await uow.commit()
        self._count("failed")


async def _first_contact(uow: UnitOfWork, message: Message) -> bool:
    """A send that answers nothing, to a contact with no inbound message: a first contact."""
    if message.metadata.get("in_reply_to"):
        return False
    recent = await uow.messages.recent(
        message.session_id, message.contact_jid, limit=HISTORY_FOR_FIRST_CONTACT
    )
    return not any(m.direction == Direction.INBOUND for m in recent)
