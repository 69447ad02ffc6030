"""SendService: deliver one queued reply through the gateway, at most once on WhatsApp.

The message id is the idempotency key, so a retry after a timeout (the bridge may have sent)
cannot produce a second WhatsApp message. Sends of one number are paced (``Pacer``).
``SessionNotConnected`` and ``BridgeUnavailable``
propagate: the job runner keeps the job (waiting, or retrying with backoff).
"""

from __future__ import annotations

from dataclasses import replace

from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.services.notify import Notifier
from wa_agents.domain.services.pacing import Pacer
from wa_agents.ports.messaging import MessagingGateway
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


class SendService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        gateway: MessagingGateway,
        notify: Notifier | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._notify = notify or Notifier()
        self._pacer = pacer or Pacer(0)

    async def send(self, message_id: str) -> Message:
        async with self._uow() as uow:
            message = await uow.messages.get(message_id)
            session = await uow.sessions.find(message.session_id)
        if message.direction != Direction.OUTBOUND or message.status != MessageStatus.QUEUED:
            return message  # already sent (or not ours to send): nothing to do
        interval = session.send_min_interval_ms if session is not None else None
        async with self._pacer.slot(message.session_id, interval):
            wa_id = await self._gateway.send_text(
                message.session_id, message.contact_jid, message.content, idempotency_key=message.id
            )
        async with self._uow() as uow:
            current = await uow.messages.get(message_id)
            sent = current.sent_as(wa_id)
            await uow.messages.update(sent)
            await uow.commit()
        await self._notify.message(sent, kind="message.status")
        return sent

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
