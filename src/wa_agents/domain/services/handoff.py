"""HandoffService: the one place a conversation changes hands (ai, human, paused).

Every path uses it: the ``handoff_to_human`` tool, ``/human``, the resume word, business
hours (through a turn's ``ModeRequest``), an operator's message, the owner typing on the
phone, the API, and the per-agent timeout. ``apply`` works inside the caller's unit of work:
the conversation's new mode, its audit row, the notice to the user (a queued reply and its
send job) and the timeout job commit together with whatever caused the switch, or not at
all. After the commit, ``published`` sends the live events (``conversation.mode`` and the
notice's ``message.new``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.conversation import Conversation, HandoffMode
from wa_agents.domain.model.handoff import HandoffPolicy, ModeRequest
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ModeChange:
    conversation: Conversation  # after the switch
    previous: HandoffMode
    by: str
    reason: str
    notice: Message | None = None  # what the user was told, queued for sending


def is_human_reply(message: Message) -> bool:
    """An outbound message a person wrote (an operator in the dashboard, the owner's phone)."""
    return message.direction == Direction.OUTBOUND and bool(
        message.metadata.get("operator") or message.metadata.get("from_me")
    )


class HandoffService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, live: LiveEvents
    ) -> None:
        self._uow, self._clock, self._ids, self._live = uow, clock, ids, live

    async def apply(
        self, uow: UnitOfWork, conversation: Conversation, request: ModeRequest
    ) -> ModeChange | None:
        """Switch inside ``uow`` (the caller commits); None when already in that mode."""
        if conversation.mode == request.mode:
            return None
        now = self._clock.now()
        switched = conversation.switched(request.mode, by=request.by, now=now)
        await uow.conversations.update(switched)
        policy = await self._policy(uow, switched.session_id)
        await record_audit(
            uow,
            self._ids,
            self._clock,
            actor=request.by,
            action="conversation.mode",
            target=switched.key,
            mode=request.mode.value,
            previous=conversation.mode.value,
            reason=request.reason,
        )
        notice = None
        text = policy.notice(request.mode) if request.announce else ""
        if text:
            notice = await self._notify(uow, switched, text, request.mode)
        if request.mode == HandoffMode.HUMAN and policy.timeout_minutes:
            await self._schedule_timeout(
                uow, switched, now + timedelta(minutes=policy.timeout_minutes)
            )
        return ModeChange(switched, conversation.mode, request.by, request.reason, notice)

    async def published(self, change: ModeChange | None) -> None:
        if change is None:
            return
        await self._live.conversation(change.conversation, by=change.by, reason=change.reason)
        if change.notice is not None:
            await self._live.message(change.notice)

    async def expire(self, session_id: str, contact_jid: str, changed_at: str) -> None:
        """The timeout job: back to ai once nobody human has written for the agent's
        ``timeout_minutes``; earlier, the job moves itself to the new deadline. A handoff
        that ended (or was replaced by a newer one) is left alone."""
        now = self._clock.now()
        async with self._uow() as uow:
            conversation = await uow.conversations.get(session_id, contact_jid)
            stamp = conversation.mode_changed_at
            if (
                conversation.mode != HandoffMode.HUMAN
                or stamp is None
                or stamp.isoformat() != changed_at
            ):
                return
            policy = await self._policy(uow, session_id)
            if not policy.timeout_minutes:
                return
            recent = await uow.messages.recent(session_id, contact_jid, limit=50)
            last_human = max((m.timestamp for m in recent if is_human_reply(m)), default=stamp)
            deadline = max(stamp, last_human) + timedelta(minutes=policy.timeout_minutes)
            if now < deadline:
                await self._schedule_timeout(uow, conversation, deadline)
                change = None
            else:
                reason = f"no human reply for {policy.timeout_minutes} minutes"
                change = await self.apply(
                    uow, conversation, ModeRequest(HandoffMode.AI, "timeout", reason)
                )
            await uow.commit()
        await self.published(change)

    @staticmethod
    async def _policy(uow: UnitOfWork, session_id: str) -> HandoffPolicy:
        session = await uow.sessions.get(session_id)
        agent: Agent | None = await uow.agents.get(session.agent_id) if session.agent_id else None
        return agent.handoff if agent is not None else HandoffPolicy()

    async def _notify(
        self, uow: UnitOfWork, conversation: Conversation, text: str, mode: HandoffMode
    ) -> Message:
        notice = Message(
            id=self._ids.new_id(),
            session_id=conversation.session_id,
            contact_jid=conversation.contact_jid,
            direction=Direction.OUTBOUND,
            content=text,
            timestamp=self._clock.now(),
            status=MessageStatus.QUEUED,
            metadata={"handoff": mode.value},
        )
        await uow.messages.add(notice)
        await uow.jobs.enqueue(JobKind.SEND, {"message_id": notice.id}, key=conversation.key)
        return notice

    @staticmethod
    async def _schedule_timeout(
        uow: UnitOfWork, conversation: Conversation, when: datetime
    ) -> None:
        # No key: a job due in an hour must not hold up the conversation's turns and sends.
        stamp = conversation.mode_changed_at
        payload = {
            "session_id": conversation.session_id,
            "contact_jid": conversation.contact_jid,
            "changed_at": stamp.isoformat() if stamp else "",
        }
        await uow.jobs.enqueue(JobKind.HANDOFF_TIMEOUT, payload, run_at=when)
