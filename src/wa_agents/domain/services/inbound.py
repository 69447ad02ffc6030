"""Accepting an inbound WhatsApp message: store once, schedule one turn.

The message and its turn job commit in one unit of work. A redelivery of the same
(session, wa_message_id) changes nothing and reports ``duplicate=True``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.command import parse_command
from wa_agents.domain.model.conversation import HandoffMode, conversation_key
from wa_agents.domain.model.errors import AlreadyExists, NotFound, ValidationError
from wa_agents.domain.model.handoff import HandoffPolicy
from wa_agents.domain.model.jid import is_chat, normalize_jid
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.media import (
    WAITING,
    MediaInfo,
    MediaStatus,
    is_waiting,
    with_media,
)
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.correlation import with_correlation
from wa_agents.domain.services.indexing import schedule_conversation
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.domain.services.reactions import record_reaction
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.sessions import InboundContext
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("wa_agents.inbound")
MEDIA_ATTEMPTS = 8  # fetching and transcribing retry with backoff; then the message is answered


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
    media: MediaInfo | None = None  # a file to fetch (or why it cannot be fetched)
    alt_jid: str | None = None  # the sender's other JID (phone or @lid), when the bridge knows


def is_control(message: Message, agent: Agent | None) -> bool:
    """While a person answers, a command (``/help``) or the resume word still gets a turn."""
    if message.message_type != MessageType.TEXT:
        return False
    policy = agent.handoff if agent is not None else HandoffPolicy()
    return policy.is_resume_word(message.content) or parse_command(message.content) is not None


@dataclass(frozen=True, slots=True)
class AcceptResult:
    message: Message
    duplicate: bool
    turn_scheduled: bool
    ignored: bool = (
        False  # not from a chat (status broadcast, newsletter): neither kept nor answered
    )


class InboundService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        debounce_ms: int = 2000,
        live: LiveEvents | None = None,
        fetch_media: bool = True,
    ) -> None:
        """Without ``fetch_media`` (no media store) announced files are marked unavailable."""
        self._fetch_media = fetch_media
        self._uow = uow
        self._live = live or LiveEvents()
        self._clock = clock
        self._ids = ids
        self._debounce_ms = debounce_ms

    def to_message(self, inbound: InboundMessage, now: datetime) -> Message:
        """The stored form of what the bridge reported (JID normalised, received)."""
        message = Message(
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
        media = inbound.media
        if media is None:
            return message
        if not self._fetch_media and media.status in WAITING:
            media = media.moved(MediaStatus.UNAVAILABLE, error="no media store is configured")
        return with_media(message, media)

    async def accept(self, inbound: InboundMessage, *, adopt: bool = False) -> AcceptResult:
        """Store the message once and schedule its turn, in one transaction.

        An unknown session is ``NotFound``; with ``adopt`` (the bridge reports it, so it is
        real) it is created on the spot, pending and without an agent, and nothing is lost.
        """
        if not is_chat(normalize_jid(inbound.from_jid)):
            return self.ignored(self.to_message(inbound, self._clock.now()))
        async with self._uow() as uow:
            result = await self.store(uow, inbound, adopt=adopt)
            await uow.commit()
        await self.announce(result)
        return result

    async def store(
        self, uow: UnitOfWork, inbound: InboundMessage, *, adopt: bool = False
    ) -> AcceptResult:
        """``accept``'s reads and writes inside ``uow``; the caller commits, then calls
        ``announce``. Nothing else happens here, so it may run again in a fresh unit of work
        (a group commit retrying a failed batch item by item)."""
        now = self._clock.now()
        message = self.to_message(inbound, now)
        jid = message.contact_jid
        if not is_chat(jid):
            return self.ignored(message)
        alt = _alternative(inbound.alt_jid)
        found = await uow.sessions.for_inbound(inbound.session_id, jid, alt)
        if found is None:
            if not adopt:
                raise NotFound("session", inbound.session_id)
            await adopt_session(uow, inbound.session_id, now)
            found = await uow.sessions.for_inbound(inbound.session_id, jid, alt)
            assert found is not None, "adopted in this unit of work"
        session, agent = found.session, found.agent
        message = await self._as_known_contact(uow, message, found, now)
        jid = message.contact_jid
        if not await uow.messages.add(message):
            existing = await uow.messages.find_by_wa_id(
                message.session_id, Direction.INBOUND, inbound.wa_message_id or ""
            )
            return AcceptResult(existing or message, duplicate=True, turn_scheduled=False)
        conversation = await uow.conversations.touch(session.id, jid, now)
        await schedule_conversation(uow, session.id, jid, now)  # searchable, after commit
        if message.message_type == MessageType.REACTION:  # recorded, never answered
            message = await record_reaction(uow, message)
            return AcceptResult(message, duplicate=False, turn_scheduled=False)
        if is_waiting(message):  # fetched by its own job; its turn comes when it is done
            await uow.jobs.enqueue(  # its own key: a slow file never holds up the chat
                JobKind.MEDIA,
                {"message_id": message.id},
                key=f"media/{message.id}",
                run_at=now,
                max_attempts=MEDIA_ATTEMPTS,
            )
        scheduled = conversation.mode == HandoffMode.AI or is_control(message, agent)
        if scheduled:
            await self._schedule_turn(uow, session, agent, jid, now)
        else:  # a person (or nobody) answers: the agent must never pick it up later
            message = message.with_status(MessageStatus.PROCESSED)
            await uow.messages.update(message)
        return AcceptResult(message, duplicate=False, turn_scheduled=scheduled)

    async def announce(self, result: AcceptResult) -> None:
        """After the commit that stored it: the new message, live on the dashboards."""
        if not (result.duplicate or result.ignored):
            await self._live.message(result.message)

    @staticmethod
    def ignored(message: Message) -> AcceptResult:
        """Status updates, broadcast lists and newsletters: no conversation, no turn, ever."""
        log.info("ignored a message from %s: not a chat", message.contact_jid)
        return AcceptResult(message, duplicate=False, turn_scheduled=False, ignored=True)

    async def _as_known_contact(
        self, uow: UnitOfWork, message: Message, found: InboundContext, now: datetime
    ) -> Message:
        """The message under the JID we keep for its sender: a contact that moves between its
        phone and ``@lid`` JIDs stays one conversation (its history, summary and mode). Both
        JIDs came resolved with the session; only a pair seen for the first time is linked."""
        sid, jid = message.session_id, message.contact_jid
        kept, alt = found.kept_jid, found.kept_alt
        if kept == jid and alt is not None and alt != jid:
            if await _known(uow, sid, alt) and not await _known(uow, sid, jid):
                kept = alt
                await uow.contacts.link(sid, jid, alt, now)
            else:
                await uow.contacts.link(sid, alt, jid, now)
        if kept == jid:
            return message
        return replace(
            message, contact_jid=kept, metadata={**message.metadata, "reported_jid": jid}
        )

    async def _schedule_turn(
        self, uow: UnitOfWork, session: Session, agent: Agent | None, jid: str, now: datetime
    ) -> None:
        debounce = self._debounce_ms
        if agent is not None and agent.debounce_ms is not None:
            debounce = agent.debounce_ms
        await uow.jobs.enqueue(
            JobKind.TURN,
            with_correlation({"session_id": session.id, "contact_jid": jid}),
            key=conversation_key(session.id, jid),
            run_at=now + timedelta(milliseconds=debounce),
            coalesce=True,
        )


async def adopt_session(uow: UnitOfWork, session_id: str, now: datetime) -> Session:
    """A session only the bridge knew, created pending and without an agent. Two first
    deliveries for it at once (two transactions) both get it: the one that lost the insert
    reads the winner's."""
    session = Session(id=session_id, created_at=now, updated_at=now)
    try:
        await uow.sessions.add(session)
    except AlreadyExists:
        return await uow.sessions.get(session_id)
    log.warning("adopted session %s reported by the bridge", session_id)
    return session


def _alternative(alt_jid: str | None) -> str | None:
    """The sender's other JID, normalised; a malformed one is ignored, never a lost message."""
    if not alt_jid:
        return None
    try:
        return normalize_jid(alt_jid)
    except ValidationError:
        return None


async def _known(uow: UnitOfWork, session_id: str, jid: str) -> bool:
    try:
        await uow.conversations.get(session_id, jid)
    except NotFound:
        return False
    return True
