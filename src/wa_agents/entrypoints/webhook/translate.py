"""Bridge events to domain calls. The only place that knows both vocabularies."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import msgspec

from wa_agents.domain.model.media import MEDIA_TYPES, MediaInfo, MediaStatus
from wa_agents.domain.model.message import MessageStatus, MessageType
from wa_agents.domain.model.session import SessionStatus
from wa_agents.domain.services.bridge_reports import (
    BridgeEvent,
    MessageEvent,
    ReceiptEvent,
    SessionEvent,
    SessionReport,
)
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.entrypoints.webhook.payloads import (
    DECODERS,
    Envelope,
    MessageReceived,
    MessageStatusReport,
    SessionConnected,
    SessionDisconnected,
    SessionQr,
    SessionStatusReport,
)

log = logging.getLogger("wa_agents.webhook")
LOGGED_OUT_CODE = 401
RECEIPTS = {
    "message.sent": MessageStatus.SENT,
    "message.delivered": MessageStatus.DELIVERED,
    "message.read": MessageStatus.READ,
}
BRIDGE_STATUS = {
    "qr_waiting": SessionStatus.QR_WAITING,
    "connected": SessionStatus.CONNECTED,
    "disconnected": SessionStatus.DISCONNECTED,
    "logged_out": SessionStatus.LOGGED_OUT,
    "connecting": SessionStatus.RECONNECTING,
}


def _when(value: str | float | None) -> datetime | None:
    """A bridge timestamp (milliseconds or ISO text); None when absent or absurd."""
    if value is None:
        return None
    try:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value / 1000, UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def clean(value: Any) -> Any:
    """Text as PostgreSQL can store it: NUL characters (which any sender can put in a
    message) removed, everywhere in the structure."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def _status_code(reason: Any) -> int | None:
    """zapw's free-form disconnect reason: the serialised error's ``output.statusCode``."""
    if not isinstance(reason, dict):
        return None
    for holder in (reason, reason.get("error"), reason.get("lastDisconnect")):
        if isinstance(holder, dict):
            output = holder.get("output")
            if isinstance(output, dict) and isinstance(output.get("statusCode"), int):
                return int(output["statusCode"])
            if isinstance(holder.get("statusCode"), int):
                return int(holder["statusCode"])
    return None


def inbound_message(session_id: str, data: MessageReceived, webhook_id: str) -> InboundMessage:
    kind = MessageType.parse(data.type)
    content = data.text if kind == MessageType.TEXT else data.caption
    metadata: dict[str, Any] = {
        key: value
        for key, value in msgspec.structs.asdict(data).items()
        if value not in (None, False) and key not in ("sender", "text", "messageId", "timestamp")
    }
    metadata = clean(msgspec.to_builtins(metadata))
    if webhook_id:
        metadata["webhook_id"] = webhook_id
    metadata.pop("media", None)  # kept as the message's MediaInfo instead
    alternatives = (data.senderAlt, data.senderPn, data.senderLid)
    alt = next((j for j in alternatives if j and j != data.sender), None)
    return InboundMessage(
        session_id=session_id,
        from_jid=data.groupId or data.sender,
        content=clean(content or "").strip(),
        wa_message_id=data.messageId,
        message_type=kind,
        timestamp=_when(data.timestamp),
        metadata=metadata,
        media=media_info(kind, data, clean(content or "").strip() or None),
        alt_jid=None if data.groupId else alt,
    )


NO_MEDIA_ROUTE = "this bridge reports media without a way to download it (a plain zapw)"


def media_info(kind: MessageType, data: MessageReceived, caption: str | None) -> MediaInfo | None:
    """What there is to fetch: our bridge names a media id; zapw says only ``hasMedia``."""
    if kind not in MEDIA_TYPES or not (data.hasMedia or data.media):
        return None
    info = MediaInfo(
        kind=kind.value,
        mime_type=clean(data.mimetype),
        size=data.fileLength,
        filename=clean(data.fileName),
        caption=caption,
        source_id=data.media.mediaId if data.media else None,
        voice=data.ptt,
        seconds=int(data.seconds) if data.seconds is not None else None,
    )
    if data.media is None:
        return info.moved(MediaStatus.UNAVAILABLE, error=NO_MEDIA_ROUTE)
    return info


def to_event(envelope: Envelope, webhook_id: str) -> BridgeEvent:
    """``envelope.data`` decoded by its type, as the domain event to deliver (None: a kind
    we ignore). Raises ``msgspec.ValidationError``/``DecodeError`` for a known event with a
    bad body, before anything is written."""
    kind, sid = envelope.eventType, envelope.sessionId
    decoder = DECODERS.get(kind)
    if decoder is None:
        log.info("ignored unknown bridge event %s for %s", kind, sid)
        return None
    data = decoder.decode(envelope.data)
    if isinstance(data, MessageReceived):
        return MessageEvent(inbound_message(sid, data, webhook_id), from_me=data.fromMe)
    if isinstance(data, MessageStatusReport):
        status = RECEIPTS.get(kind) or MessageStatus.__members__.get((data.status or "").upper())
        return ReceiptEvent(sid, data.messageId, status)
    return SessionEvent(sid, replace(session_report(data), reported_at=_when(envelope.timestamp)))


def session_report(data: Any) -> SessionReport:
    if isinstance(data, SessionConnected):
        return SessionReport(
            status=SessionStatus.CONNECTED,
            phone_number=data.phoneNumber,
            display_name=data.name or None,
        )
    if isinstance(data, SessionQr):
        return SessionReport(
            status=SessionStatus.QR_WAITING,
            qr_code=data.qrCode,
            qr_expires_at=_when(data.qrExpiresAt),
        )
    if isinstance(data, SessionDisconnected):
        logged_out = _status_code(data.reason) == LOGGED_OUT_CODE
        return SessionReport(
            status=SessionStatus.LOGGED_OUT if logged_out else SessionStatus.DISCONNECTED
        )
    assert isinstance(data, SessionStatusReport)
    if data.statusCode == LOGGED_OUT_CODE:
        return SessionReport(status=SessionStatus.LOGGED_OUT)
    return SessionReport(status=BRIDGE_STATUS.get(data.status))


RESTRICTION_REASONS = frozenset({"rate-limited", "restricted", "banned"})


def restriction_of(envelope: Envelope) -> str | None:
    """The restriction token a ``session.*`` event carries (our bridge's ``reason``), if any."""
    decoder = DECODERS.get(envelope.eventType)
    if decoder is None:
        return None
    try:
        data = decoder.decode(envelope.data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    reason = getattr(data, "reason", None)
    return reason if isinstance(reason, str) and reason in RESTRICTION_REASONS else None
