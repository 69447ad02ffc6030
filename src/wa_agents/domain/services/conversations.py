"""ConversationService: what the dashboard does with conversations.

List a session's conversations (or, for the inbox, those of every session) with their last
message and how many inbound messages wait for an answer, page through a history, let an
operator answer (the reply is stored and its send job enqueued in one unit of work, exactly
like an agent's reply), and switch who answers (the handoff mode).
"""

from __future__ import annotations

from dataclasses import dataclass

from wa_agents.domain.model.conversation import Conversation, HandoffMode, conversation_key
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.handoff import ModeRequest
from wa_agents.domain.model.jid import is_chat, normalize_jid
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.handoff import HandoffService
from wa_agents.domain.services.indexing import schedule_conversation
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.conversations import ConversationFilter
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_TEXT = 4_096  # WhatsApp's own limit for one text message


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    conversation: Conversation
    last_message: Message | None
    unread: int = 0  # inbound messages after the last outbound one


async def _summaries(uow: UnitOfWork, found: Page[Conversation]) -> Page[ConversationSummary]:
    items = []
    for c in found.items:
        last = await uow.messages.last_message(c.session_id, c.contact_jid)
        unread = await uow.messages.unanswered(c.session_id, c.contact_jid)
        items.append(ConversationSummary(c, last, unread))
    return Page(items, found.total, found.limit, found.offset)


class ConversationService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        live: LiveEvents | None = None,
        handoff: HandoffService | None = None,
    ) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids
        self._live = live or LiveEvents()
        self._handoff = handoff or HandoffService(uow, clock, ids, self._live)

    async def list(self, session_id: str, page: PageRequest) -> Page[ConversationSummary]:
        async with self._uow() as uow:
            await uow.sessions.get(session_id)
            found = await uow.conversations.list(session_id, page)
            return await _summaries(uow, found)

    async def inbox(
        self, where: ConversationFilter, page: PageRequest
    ) -> Page[ConversationSummary]:
        """Conversations of every session (or those ``where`` picks), latest activity first."""
        async with self._uow() as uow:
            return await _summaries(uow, await uow.conversations.list_across(where, page))

    async def history(self, session_id: str, contact_jid: str, page: PageRequest) -> Page[Message]:
        jid = normalize_jid(contact_jid)
        async with self._uow() as uow:
            await uow.conversations.get(session_id, jid)
            return await uow.messages.list_page(session_id, jid, page)

    async def send(self, session_id: str, contact_jid: str, text: str, *, actor: str) -> Message:
        """An operator's message: stored as queued, sent by a ``send`` job like any reply.
        A conversation the agent was answering is handed to the operator (no notice: the
        operator's own message is what the user reads)."""
        if not text.strip() or len(text) > MAX_TEXT:
            raise ValidationError(f"text must be 1-{MAX_TEXT} characters")
        jid, now = normalize_jid(contact_jid), self._clock.now()
        if not is_chat(jid):
            raise ValidationError(f"{jid} is not a chat (a status broadcast or a newsletter)")
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
            conversation = conversation.touched(now)
            await uow.conversations.update(conversation)
            await schedule_conversation(uow, session_id, jid, now)
            await self._audit(uow, actor, "message.send", conversation, message_id=message.id)
            change = None
            if conversation.mode == HandoffMode.AI:
                request = ModeRequest(HandoffMode.HUMAN, actor, "an operator replied", False)
                change = await self._handoff.apply(uow, conversation, request)
            await uow.commit()
        await self._live.message(message)
        await self._handoff.published(change)
        return message

    async def set_mode(
        self, session_id: str, contact_jid: str, mode: HandoffMode, *, actor: str, reason: str = ""
    ) -> ConversationSummary:
        """Switch who answers (the user is told, as the agent's handoff policy says); setting
        the mode it already has changes nothing and records nothing."""
        jid = normalize_jid(contact_jid)
        request = ModeRequest(mode, actor, reason or f"set to {mode} by an operator")
        async with self._uow() as uow:
            await uow.sessions.get(session_id)
            conversation = await uow.conversations.get(session_id, jid)
            change = await self._handoff.apply(uow, conversation, request)
            if change is not None:
                conversation = change.conversation
            last = await uow.messages.last_message(session_id, jid)
            unread = await uow.messages.unanswered(session_id, jid)
            await uow.commit()
        await self._handoff.published(change)
        return ConversationSummary(conversation, last, unread)

    async def _audit(
        self, uow: UnitOfWork, actor: str, action: str, conv: Conversation, **details: object
    ) -> None:
        await record_audit(
            uow, self._ids, self._clock, actor=actor, action=action, target=conv.key, **details
        )
