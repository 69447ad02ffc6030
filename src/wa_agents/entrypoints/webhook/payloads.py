"""Bridge webhook payloads (zapw core + our extensions), decoded with msgspec.

The envelope is decoded first; ``data`` stays raw until the event type is known, so an
unknown event type is accepted (and logged) instead of failing the delivery. Unknown fields
are ignored everywhere, so both sides can evolve.
"""

from __future__ import annotations

from typing import Any

import msgspec


class Envelope(msgspec.Struct, frozen=True):
    sessionId: str
    eventType: str
    data: msgspec.Raw = msgspec.Raw(b"{}")
    origin: str | None = None
    timestamp: float | None = None


class Location(msgspec.Struct, frozen=True):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


class ContactCard(msgspec.Struct, frozen=True):
    name: str = ""
    number: str = ""


class MediaRef(msgspec.Struct, frozen=True):
    mediaId: str


class Reaction(msgspec.Struct, frozen=True):
    emoji: str = ""
    messageId: str = ""


class MessageReceived(msgspec.Struct, frozen=True, rename={"sender": "from"}):
    sender: str
    messageId: str
    to: str | None = None
    timestamp: float | None = None  # milliseconds
    isGroup: bool = False
    groupId: str | None = None
    participant: str | None = None
    type: str | None = None
    text: str | None = None
    caption: str | None = None
    hasMedia: bool = False
    fileName: str | None = None
    mimetype: str | None = None
    fileLength: int | None = None
    media: MediaRef | None = None
    location: Location | None = None
    contact: ContactCard | None = None
    contacts: list[ContactCard] | None = None
    reaction: Reaction | None = None
    ptt: bool = False
    seconds: float | None = None
    pushName: str | None = None
    quotedMessageId: str | None = None
    fromMe: bool = False
    # the sender's other JID (Baileys 7 ``remoteJidAlt``): phone form for an @lid sender,
    # or @lid for a phone sender; any of these names is accepted
    senderAlt: str | None = None
    senderPn: str | None = None
    senderLid: str | None = None


class SessionConnected(msgspec.Struct, frozen=True):
    phoneNumber: str | None = None
    name: str | None = None


class SessionDisconnected(msgspec.Struct, frozen=True):
    reason: Any = None


class SessionQr(msgspec.Struct, frozen=True):
    qrCode: str
    qrExpiresAt: str | float | None = None


class SessionStatusReport(msgspec.Struct, frozen=True):
    status: str
    statusCode: int | None = None
    reason: Any = None


class MessageStatusReport(msgspec.Struct, frozen=True):
    messageId: str
    status: str | None = None


DATA_TYPES: dict[str, type[msgspec.Struct]] = {
    "message.received": MessageReceived,
    "session.connected": SessionConnected,
    "session.disconnected": SessionDisconnected,
    "session.qr": SessionQr,
    "session.status": SessionStatusReport,
    "message.status": MessageStatusReport,
    "message.sent": MessageStatusReport,
    "message.delivered": MessageStatusReport,
    "message.read": MessageStatusReport,
}
ENVELOPE = msgspec.json.Decoder(Envelope)
DECODERS = {kind: msgspec.json.Decoder(struct) for kind, struct in DATA_TYPES.items()}
