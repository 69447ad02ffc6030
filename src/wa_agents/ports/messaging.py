"""The WhatsApp messaging gateway (a bridge, or the sandbox).

``create_session`` raises ``AlreadyExists`` when the gateway knows the id; the others raise
``NotFound`` for an unknown id. ``send_text`` is idempotent per ``idempotency_key``: a repeat
with the same key returns the first result and sends nothing. It raises ``SessionNotConnected``
when the number cannot send now, and ``BridgeUnavailable`` when the gateway is unreachable or
fails (safe to retry with the same key). ``send_media`` sends an ``OutgoingMedia`` (image,
audio, video or document with its caption) under the same rules. ``send_presence`` and
``mark_read`` are best-effort: gateways that lack them do nothing. ``request_pairing_code``
links by code instead of QR (the phone types it under "Link with phone number instead"): only
while the session waits for a scan (``SessionNotConnected`` otherwise); a gateway without
pairing codes raises ``NotFound``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from wa_agents.domain.model.session import SessionStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionInfo:
    id: str
    status: SessionStatus
    qr_code: str | None = None
    qr_expires_at: datetime | None = None
    phone_number: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingMedia:
    kind: str  # image, audio, video or document
    mime_type: str
    data: bytes = field(repr=False)
    caption: str = ""
    filename: str | None = None


class MessagingGateway(Protocol):
    async def create_session(self, session_id: str) -> SessionInfo: ...
    async def get_session(self, session_id: str) -> SessionInfo: ...
    async def reconnect(self, session_id: str) -> SessionInfo: ...
    async def logout(self, session_id: str) -> None: ...
    async def request_pairing_code(self, session_id: str, phone_number: str) -> str: ...
    async def delete_session(self, session_id: str) -> None: ...
    async def send_text(
        self, session_id: str, to_jid: str, text: str, *, idempotency_key: str
    ) -> str: ...
    async def send_media(
        self, session_id: str, to_jid: str, media: OutgoingMedia, *, idempotency_key: str
    ) -> str: ...
    async def send_presence(self, session_id: str, jid: str, state: str) -> None: ...
    async def mark_read(self, session_id: str, jid: str, wa_message_ids: list[str]) -> None: ...
