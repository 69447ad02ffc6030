"""Queue one outbound reply: the message and its ``send`` job, in the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.services.indexing import schedule_conversation
from wa_agents.ports.clock import IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork


async def queue_reply(
    uow: UnitOfWork,
    ids: IdGenerator,
    now: datetime,
    session_id: str,
    contact_jid: str,
    text: str,
    metadata: dict[str, Any],
) -> Message:
    out = Message(
        id=ids.new_id(),
        session_id=session_id,
        contact_jid=contact_jid,
        direction=Direction.OUTBOUND,
        content=text,
        timestamp=now,
        status=MessageStatus.QUEUED,
        metadata=metadata,
    )
    await uow.messages.add(out)
    await uow.jobs.enqueue(
        JobKind.SEND, {"message_id": out.id}, key=conversation_key(session_id, contact_jid)
    )
    await schedule_conversation(uow, session_id, contact_jid, now)
    return out
