"""Sessions (linked numbers), their conversations and messages, and the sandbox calls."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.media import media_of
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.conversations import MAX_TEXT, ConversationSummary
from wa_agents.domain.services.sessions import MAX_PACING_MS
from wa_agents.entrypoints.http.dto.common import text

SessionId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Text = Annotated[str, text(MAX_TEXT, 1)]


class SessionIn(msgspec.Struct):
    id: SessionId
    agent_id: Annotated[str, text(64, 1)] | None = None


# gt=-1, not ge=0: the OpenAPI generator drops a bound of 0 (a falsy value) from the schema
Pacing = Annotated[int, msgspec.Meta(gt=-1, le=MAX_PACING_MS, description="ms between sends")]


class SessionPatch(msgspec.Struct):
    """Only the fields given change; ``null`` agent: nobody answers, ``null`` pacing: the
    server's ``WA_SEND_MIN_INTERVAL_MS``."""

    agent_id: Annotated[str, text(64, 1)] | msgspec.UnsetType | None = msgspec.UNSET
    send_min_interval_ms: Pacing | msgspec.UnsetType | None = msgspec.UNSET

    def changes(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) is not msgspec.UNSET
        }


class PairingIn(msgspec.Struct):
    """The phone number being linked, with its country code (``+55 11 98888-7777``)."""

    phone_number: Annotated[str, text(32, 6)]


class PairingOut(msgspec.Struct):
    """Type ``code`` on the phone: WhatsApp → Linked devices → Link a device → Link with
    phone number instead."""

    session_id: str
    phone_number: str
    code: str


class SessionOut(msgspec.Struct):
    id: str
    status: str
    phone_number: str | None
    display_name: str | None
    qr_code: str | None
    qr_expires_at: datetime | None
    agent_id: str | None
    connected_at: datetime | None
    disconnected_at: datetime | None
    created_at: datetime
    send_min_interval_ms: int | None

    @classmethod
    def of(cls, s: Session) -> SessionOut:
        return cls(
            s.id,
            s.status.value,
            s.phone_number,
            s.display_name,
            s.qr_code,
            s.qr_expires_at,
            s.agent_id,
            s.connected_at,
            s.disconnected_at,
            s.created_at,
            s.send_min_interval_ms,
        )


class SessionPage(msgspec.Struct):
    items: list[SessionOut]
    total: int
    limit: int
    offset: int


class MediaOut(msgspec.Struct):
    """A message's file: ``status`` pending → stored → ready (or too_large, unavailable,
    rejected, failed, expired); the bytes at ``GET /api/v1/messages/{id}/media``."""

    kind: str
    mime_type: str | None
    size: int | None
    filename: str | None
    caption: str | None
    transcript: str | None
    status: str

    @classmethod
    def of(cls, m: Message) -> MediaOut | None:
        media = media_of(m)
        if media is None:
            return None
        return cls(
            media.kind,
            media.mime_type,
            media.size,
            media.filename,
            media.caption,
            media.transcript,
            media.status.value,
        )


class MessageOut(msgspec.Struct):
    id: str
    session_id: str
    contact_jid: str
    direction: str
    message_type: str
    content: str
    media_url: str | None
    metadata: dict[str, Any]
    wa_message_id: str | None
    status: str
    timestamp: datetime
    media: MediaOut | None = None

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        media, info = MediaOut.of(m), media_of(m)
        stored = info is not None and info.key is not None
        return cls(
            m.id,
            m.session_id,
            m.contact_jid,
            m.direction.value,
            m.message_type.value,
            m.content,
            m.media_url or (f"/api/v1/messages/{m.id}/media" if stored else None),
            dict(m.metadata),
            m.wa_message_id,
            m.status.value,
            m.timestamp,
            media,
        )


class MessagePage(msgspec.Struct):
    items: list[MessageOut]
    total: int
    limit: int
    offset: int


class ConversationOut(msgspec.Struct):
    session_id: str
    contact_jid: str
    mode: HandoffMode
    last_message: MessageOut | None
    updated_at: datetime
    unread: int  # inbound messages after the last outbound one
    mode_changed_at: datetime | None = None  # when it last changed hands
    mode_by: str | None = None  # who switched it: a username, "owner", "user", "timeout"…
    summary: str = ""  # the rolling summary of older turns (managed memory); "" for none
    summary_updated_at: datetime | None = None

    @classmethod
    def of(cls, summary: ConversationSummary) -> ConversationOut:
        c, last = summary.conversation, summary.last_message
        return cls(
            c.session_id,
            c.contact_jid,
            c.mode,
            MessageOut.of(last) if last else None,
            c.last_activity_at,
            summary.unread,
            c.mode_changed_at,
            c.mode_by,
            c.memory.summary,
            c.memory.updated_at,
        )


class ConversationPage(msgspec.Struct):
    items: list[ConversationOut]
    total: int
    limit: int
    offset: int


class ConversationPatch(msgspec.Struct):
    mode: HandoffMode
    reason: Annotated[str, text(200)] = ""  # kept in the audit row and the live event


class OutgoingText(msgspec.Struct):
    text: Text


class SandboxInbound(msgspec.Struct):
    from_: Annotated[str, text(64, 1)] = msgspec.field(name="from")
    text: Text
