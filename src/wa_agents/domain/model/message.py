"""Messages in and out of a WhatsApp conversation."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any


class Direction(enum.StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageType(enum.StrEnum):
    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    DOCUMENT = "document"
    LOCATION = "location"
    CONTACT = "contact"
    STICKER = "sticker"
    REACTION = "reaction"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str | None) -> MessageType:
        try:
            return cls(value) if value else cls.UNKNOWN
        except ValueError:
            return cls.UNKNOWN


class MessageStatus(enum.StrEnum):
    RECEIVED = "received"  # inbound, stored, not yet handled
    PROCESSED = "processed"  # inbound, handled by a turn (answered, or deliberately not)
    QUEUED = "queued"  # outbound, waiting for its send job
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


# Outbound status only moves forward; a late "sent" never overwrites "read".
_OUTBOUND_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.FAILED: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.READ: 4,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    id: str
    session_id: str
    contact_jid: str
    direction: Direction
    content: str
    timestamp: datetime
    message_type: MessageType = MessageType.TEXT
    media_url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    wa_message_id: str | None = None
    status: MessageStatus = MessageStatus.RECEIVED

    @property
    def is_text(self) -> bool:
        return self.message_type == MessageType.TEXT or bool(self.content)

    def with_status(self, status: MessageStatus) -> Message:
        """Apply a status update; outbound status never moves backwards (except to failed)."""
        if self.direction == Direction.OUTBOUND and status in _OUTBOUND_RANK:
            current = _OUTBOUND_RANK.get(self.status, 0)
            if _OUTBOUND_RANK[status] < current:
                return self
        return replace(self, status=status)

    def requeued(self) -> Message:
        """A failed reply given another chance (an operator retried its dead send job)."""
        return replace(self, status=MessageStatus.QUEUED)

    def sent_as(self, wa_message_id: str) -> Message:
        return replace(self.with_status(MessageStatus.SENT), wa_message_id=wa_message_id)
