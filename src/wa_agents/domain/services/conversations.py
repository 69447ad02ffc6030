"""ConversationService: what the dashboard does with conversations.

List a session's conversations with their last message, page through a history, let an
operator answer (the reply is stored and its send job enqueued in one unit of work, exactly
like an agent's reply), and switch who answers (the handoff mode).
"""

from __future__ import annotations

from dataclasses import dataclass

from wa_agents.domain.model.conversation import Conversation, HandoffMode, conversation_key
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.notify import Notifier
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_TEXT = 4_096  # WhatsApp's own limit for one text message


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    conversation: Conversation
    last_message: Message | None


class ConversationService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        notify: Notifier | None = None,
    ) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids
        self._notify = notify or Notifier()

    async def list(self, session_id: str, page: PageRequest) -> Page[ConversationSummary]:
        async with self._uow() as uow:
            await uow.sessions.get(session_id)
            found = await uow.conversations.list(session_id, page)
            items = [
                ConversationSummary(c, await uow.messages.last_message(c.session_id, c.contact_jid))
                for c in found.items
            ]
        return Page(items, found.total, found.limit, found.offset)

    async def history(self, session_id: str, contact_jid: str, page: PageRequest) -> Page[Message]:
        jid = normalize_jid(contact_jid)
        async with self._uow() as uow:
            await uow.conversations.get(session_id, jid)
            return await uow.messages.list_page(session_id, jid, page)

    async def send(self, session_id: str, contact_jid: str, text: str, *, actor: str) -> Message:
        """An operator's message: stored as queued, sent by a ``send`` job like any reply."""
        if not text.strip() or len(text) > MAX_TEXT:
            raise ValidationError(f"text must be 1-{MAX_TEXT} characters")
        jid, now = normalize_jid(contact_jid), self._clock.now()
        message = Message(
            id=self._ids.new_id(),
            session_id=session_id,
            contact_jid=jid,
            direction=Direction.OUTBOUND,
            content=text,
            timestamp=now,
            status=MessageStatus.QUEUED,
            metadata={"operator": actor},
        )
        async with self._uow() as uow:
            await uow.sessions.get(session_id)
            conversation = await uow.conversations.get_or_create(session_id, jid, now)
            await uow.messages.add(message)
            await uow.jobs.enqueue(
                JobKind.SEND, {"message_id": message.id}, key=conversation_key(session_id, jid)
            )
            await uow.conversations.update(conversation.touched(now))
            await self._audit(uow, actor, "message.send", conversation, message_id=message.id)
            await uow.commit()
        await self._notify.message(message)
        return message

    async def set_mode(
        self, session_id: str, contact_jid: str, mode: HandoffMode, *, actor: str
    ) -> ConversationSummary:
        jid = normalize_jid(contact_jid)
        async with self._uow() as uow:
            conversation = (await uow.conversations.get(session_id, jid)).with_mode(mode)
            await uow.conversations.update(conversation)
            await self._audit(uow, actor, "conversation.mode", conversation, mode=mode.value)
            last = await uow.messages.last_message(session_id, jid)
            await uow.commit()
        await self._notify.conversation(conversation)
        return ConversationSummary(conversation, last)

    async def _audit(
        self, uow: UnitOfWork, actor: str, action: str, conv: Conversation, **details: object
    ) -> None:
        await record_audit(
            uow, self._ids, self._clock, actor=actor, action=action, target=conv.key, **details
        )
