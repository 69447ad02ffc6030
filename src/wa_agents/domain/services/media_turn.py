"""The images a turn shows a vision-capable model: those of the messages it answers."""

from __future__ import annotations

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ImagePart
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.media import MediaStatus, media_of
from wa_agents.domain.model.message import Message, MessageType
from wa_agents.ports.media import MediaStore


async def turn_images(
    store: MediaStore | None, agent: Agent, group: list[Message]
) -> dict[str, tuple[ImagePart, ...]]:
    """By message id; empty unless the agent has ``vision`` (images are size-capped)."""
    if not agent.media.vision or store is None:
        return {}
    found: dict[str, tuple[ImagePart, ...]] = {}
    for message in group:
        media = media_of(message)
        if message.message_type != MessageType.IMAGE or media is None or not media.key:
            continue
        if media.status != MediaStatus.READY:
            continue
        try:
            data = b"".join([chunk async for chunk in await store.open(media.key)])
        except NotFound:
            continue  # deleted by retention meanwhile: the caption is all there is
        found[message.id] = (ImagePart(media.mime_type or "image/jpeg", data),)
    return found
