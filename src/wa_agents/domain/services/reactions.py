"""Reactions: an emoji on a message is recorded on that message, never answered.

The reaction itself is stored (processed at once, so no turn picks it up) and the message it
names — usually one of our replies — keeps ``metadata["reactions"]``: the latest emoji per
reacting contact (an empty emoji removes it, as WhatsApp does).
"""

from __future__ import annotations

from dataclasses import replace

from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.ports.unit_of_work import UnitOfWork


async def record_reaction(uow: UnitOfWork, reaction: Message) -> Message:
    """Inside the caller's unit of work; returns the stored reaction, marked processed."""
    raw = reaction.metadata.get("reaction")
    target_id = raw.get("messageId") if isinstance(raw, dict) else None
    emoji = str(raw.get("emoji") or "") if isinstance(raw, dict) else ""
    for direction in (Direction.OUTBOUND, Direction.INBOUND):
        if not isinstance(target_id, str) or not target_id:
            break
        target = await uow.messages.find_by_wa_id(reaction.session_id, direction, target_id)
        if target is None:
            continue
        reactions = dict(target.metadata.get("reactions") or {})
        if emoji:
            reactions[reaction.contact_jid] = emoji
        else:
            reactions.pop(reaction.contact_jid, None)
        await uow.messages.update(
            replace(target, metadata={**target.metadata, "reactions": reactions})
        )
        reaction = replace(reaction, metadata={**reaction.metadata, "reacted_to": target.id})
        break
    processed = reaction.with_status(MessageStatus.PROCESSED)
    await uow.messages.update(processed)
    return processed
