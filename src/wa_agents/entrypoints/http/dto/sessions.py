"""Sessions (linked numbers), their conversations and messages, and the sandbox calls."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.conversations import MAX_TEXT, ConversationSummary
from wa_agents.entrypoints.http.dto.common import text

SessionId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
Text = Annotated[str, text(MAX_TEXT, 1)]


class SessionIn(msgspec.Struct):
    id: SessionId
    agent_id: Annotated[str, text(64, 1)] | None = None


class SessionPatch(msgspec.Struct):
    agent_id: Annotated[str, text(64, 1)] | None


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
        )


class SessionPage(msgspec.Struct):
    items: list[SessionOut]
    total: int
    limit: int
    offset: int


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

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        return cls(
            m.id,
            m.session_id,
            m.contact_jid,
            m.direction.value,
            m.message_type.value,
            m.content,
            m.media_url,
            dict(m.metadata),
            m.wa_message_id,
            m.status.value,
            m.timestamp,
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

    @classmethod
    def of(cls, summary: ConversationSummary) -> ConversationOut:
        c, last = summary.conversation, summary.last_message
        return cls(
            c.session_id,
            c.contact_jid,
            c.mode,
            MessageOut.of(last) if last else None,
            c.last_activity_at,
        )


class ConversationPage(msgspec.Struct):
    items: list[ConversationOut]
    total: int
    limit: int
    offset: int


class ConversationPatch(msgspec.Struct):
    mode: HandoffMode


class OutgoingText(msgspec.Struct):
    text: Text


class SandboxInbound(msgspec.Struct):
    from_: Annotated[str, text(64, 1)] = msgspec.field(name="from")
    text: Text
