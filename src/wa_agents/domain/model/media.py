"""Media on messages: what was received or sent, where its bytes are, what it says.

A message's media lives in its ``metadata["media"]`` as the plain dict of ``MediaInfo``, so
every store that keeps message metadata keeps media too, and the API shows it as is.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from wa_agents.domain.model.errors import DomainError, InfrastructureError
from wa_agents.domain.model.message import Message, MessageType

MEDIA_KEY = "media"  # the metadata key


class MediaStatus(enum.StrEnum):
    PENDING = "pending"  # announced by the bridge; its fetch job has not stored it yet
    STORED = "stored"  # bytes in the media store; transcription or extraction still to do
    READY = "ready"  # stored, and transcribed / extracted where that applies
    UNAVAILABLE = "unavailable"  # the bridge has no media route (plain zapw) or lost the file
    TOO_LARGE = "too_large"  # over the size cap of its kind: refused, never held in memory
    REJECTED = "rejected"  # the bytes are not what the message said they are
    FAILED = "failed"  # fetching, transcribing or reading gave up after its retries
    EXPIRED = "expired"  # deleted by retention


WAITING = frozenset({MediaStatus.PENDING, MediaStatus.STORED})  # a turn must not answer yet

MEDIA_TYPES = frozenset(
    {
        MessageType.IMAGE,
        MessageType.AUDIO,
        MessageType.VIDEO,
        MessageType.DOCUMENT,
        MessageType.STICKER,
    }
)


class MediaTooLarge(DomainError):
    """More bytes than the cap allows (HTTP 413); nothing was stored."""


class MediaUnavailable(DomainError):
    """The media cannot be had: the bridge has no media route, or no longer has the file."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaInfo:
    kind: str  # the message type: image, audio, video, document, sticker
    status: MediaStatus = MediaStatus.PENDING
    mime_type: str | None = None
    size: int | None = None  # bytes: declared by the bridge, then the stored size
    filename: str | None = None
    caption: str | None = None
    transcript: str | None = None  # audio, once transcribed
    text: str | None = None  # documents: the extracted text, cut to a budget
    key: str | None = None  # where the bytes are in the media store (their SHA-256)
    source_id: str | None = None  # the bridge's media id
    voice: bool = False  # a voice note (ptt)
    seconds: int | None = None
    error: str | None = None
    memory: bool = False  # a document whose text joins the contact's searchable memory

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and v is not False}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> MediaInfo:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        values["status"] = MediaStatus(values.get("status", MediaStatus.PENDING))
        return cls(**values)

    def moved(self, status: MediaStatus, **changes: Any) -> MediaInfo:
        return replace(self, status=status, **changes)


def media_of(message: Message) -> MediaInfo | None:
    raw = message.metadata.get(MEDIA_KEY)
    return MediaInfo.from_dict(raw) if isinstance(raw, dict) else None


def with_media(message: Message, media: MediaInfo) -> Message:
    return replace(message, metadata={**message.metadata, MEDIA_KEY: media.to_dict()})


def searchable_text(message: Message) -> str:
    """What search finds a message by: its text (caption), a voice note's transcript, and a
    document's text when its agent adds documents to the contact's memory."""
    media = media_of(message)
    parts = [message.content]
    if media is not None and media.transcript:
        parts.append(media.transcript)
    if media is not None and media.memory and media.text:
        parts.append(media.text)
    return "\n".join(p for p in parts if p.strip())


def is_waiting(message: Message) -> bool:
    """Its media is still being fetched or read: the turn leaves it for later."""
    media = media_of(message)
    return media is not None and media.status in WAITING


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaLimits:
    """Size caps per kind, in bytes (a kind not listed uses ``other``)."""

    image: int = 10 * 1024 * 1024
    audio: int = 16 * 1024 * 1024
    video: int = 64 * 1024 * 1024
    document: int = 32 * 1024 * 1024
    sticker: int = 1024 * 1024
    other: int = 16 * 1024 * 1024

    def cap(self, kind: str) -> int:
        value = getattr(self, kind, None) if kind in _CAPPED else None
        return int(value) if value is not None else self.other


_CAPPED = frozenset({"image", "audio", "video", "document", "sticker"})

DEFAULT_TOO_LARGE_REPLY = (
    "Sorry, that file is too large for me to open. Could you send a smaller one, "
    "or tell me in a message what it says?"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaPolicy:
    """How an agent uses media.

    ``vision``: its model takes images, so images go to it as image parts (with the caption);
    otherwise it sees the caption alone. ``document_tokens`` caps how much of a document's
    text the model gets. ``documents_to_memory`` adds the documents a contact sends to that
    contact's own searchable memory (never to the agent's shared knowledge).
    """

    vision: bool = False
    document_tokens: int = 2_000
    documents_to_memory: bool = False
    too_large_reply: str = DEFAULT_TOO_LARGE_REPLY


class MediaStoreUnavailable(InfrastructureError):
    """The media store could not be reached or failed; worth a retry."""


def valid_key(key: str) -> bool:
    """A media store key is a hex SHA-256: nothing else may reach a path or an object name."""
    return len(key) == 64 and all(c in "0123456789abcdef" for c in key)
