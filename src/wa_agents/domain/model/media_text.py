"""What the model reads for a message that is not plain text: short, factual lines.

``model_text`` turns a location, a contact card, a transcribed voice note, a document's
text or a captioned image into text the agent answers like any message; it is empty when
there is nothing the model could use (then the turn answers with ``fallback_reply``).
"""

from __future__ import annotations

from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.history import estimate_tokens
from wa_agents.domain.model.media import WAITING, MediaInfo, MediaStatus, media_of
from wa_agents.domain.model.message import Direction, Message, MessageType


def model_text(message: Message, agent: Agent) -> str:
    kind = message.message_type
    if kind == MessageType.LOCATION:
        return _location(message.metadata.get("location"))
    if kind == MessageType.CONTACT:
        return _contacts(message.metadata)
    if kind == MessageType.REACTION:
        return ""
    media = media_of(message)
    if media is None:
        return message.content
    if media.status in WAITING:
        return ""  # not known yet: its own turn comes once the file is read
    who = "The user" if message.direction == Direction.INBOUND else "You"
    caption = message.content.strip()
    if media.status != MediaStatus.READY:
        note = f"[{who} sent {_a(_name(media))} that could not be opened]"
        return f"{note} {caption}" if caption else ""
    if kind == MessageType.AUDIO:
        if media.transcript is None:
            return caption
        said = media.transcript or "(nothing audible)"
        return f"[{who} sent a voice note; transcript:] {said}"
    if kind == MessageType.DOCUMENT:
        return _document(media, caption, who, agent.media.document_tokens)
    if kind == MessageType.IMAGE:
        if agent.media.vision:
            return caption or f"[{who} sent an image]"
        return f"[{who} sent an image with the caption:] {caption}" if caption else ""
    if kind == MessageType.STICKER:
        return f"[{who} sent a sticker]"
    return f"[{who} sent {_a(_name(media))}:] {caption}" if caption else ""


def fallback_reply(message: Message, agent: Agent) -> str:
    """The answer to a message the model cannot use: too large, or not text at all."""
    media = media_of(message)
    if media is not None and media.status == MediaStatus.TOO_LARGE:
        return agent.media.too_large_reply
    return agent.unsupported_media_reply


def _name(media: MediaInfo) -> str:
    if media.kind == "audio":
        return "voice note" if media.voice else "audio file"
    return "file" if media.kind == "document" else media.kind


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _document(media: MediaInfo, caption: str, who: str, tokens: int) -> str:
    name = media.filename or "a document"
    if not media.text:
        head = f"[{who} sent the document {name}, which I cannot read]"
        return f"{head} {caption}" if caption else ""
    text = media.text
    if estimate_tokens(text) > tokens:
        text = text[: max(tokens - 4, 1) * 4] + "\n[… the rest of the document is cut]"
    lines = [f"[{who} sent the document {name}. Its text:]", text]
    if caption:
        lines.append(f"[with the message:] {caption}")
    return "\n".join(lines)


def _location(raw: Any) -> str:
    if not isinstance(raw, dict):
        return "[The user shared a location]"
    where = ", ".join(str(raw[k]) for k in ("name", "address") if raw.get(k))
    at = f"{raw.get('latitude')}, {raw.get('longitude')}"
    return f"[The user shared a location: {where + ' ' if where else ''}({at})]"


def _contacts(metadata: dict[str, Any]) -> str:
    cards = metadata.get("contacts") or [metadata.get("contact") or {}]
    shown = "; ".join(
        f"{c.get('name') or 'no name'} ({c.get('number') or 'no number'})"
        for c in cards
        if isinstance(c, dict)
    )
    return f"[The user shared a contact card: {shown}]"
