"""Knowledge documents and search hits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from wa_agents.domain.model.documents import MAX_TEXT_CHARS, MAX_TITLE, KnowledgeDocument
from wa_agents.domain.services.search import ChunkHit, MessageHit
from wa_agents.entrypoints.http.dto.common import text


class DocumentIn(msgspec.Struct, forbid_unknown_fields=True):
    """JSON upload: ``{title, content}`` (plain text or Markdown), or ``{url, title?}``."""

    title: Annotated[str, text(MAX_TITLE, 1)] | None = None
    content: Annotated[str, text(MAX_TEXT_CHARS, 1)] | None = None
    url: Annotated[str, text(2048, 1)] | None = None


class DocumentOut(msgspec.Struct):
    id: str
    agent_id: str
    title: str
    source: str
    media_type: str
    size_bytes: int
    status: Literal["pending", "indexed", "failed"]
    chunk_count: int
    error: str | None
    filename: str | None
    url: str | None
    created_at: datetime
    updated_at: datetime
    indexed_at: datetime | None

    @classmethod
    def of(cls, d: KnowledgeDocument) -> DocumentOut:
        return cls(
            d.id,
            d.agent_id,
            d.title,
            d.source.value,
            d.media_type,
            d.size_bytes,
            d.status.value,
            d.chunk_count,
            d.error,
            d.filename,
            d.url,
            d.created_at,
            d.updated_at,
            d.indexed_at,
        )


class DocumentPage(msgspec.Struct):
    items: list[DocumentOut]
    total: int
    limit: int
    offset: int


class SearchHitOut(msgspec.Struct):
    """A message hit has ``message_id`` (and its conversation); a chunk hit ``document_id``."""

    kind: Literal["message", "chunk"]
    score: float
    content: str
    session_id: str | None = None
    contact_jid: str | None = None
    direction: str | None = None
    message_id: str | None = None
    timestamp: datetime | None = None
    document_id: str | None = None
    chunk_id: str | None = None
    title: str | None = None

    @classmethod
    def of_message(cls, hit: MessageHit) -> SearchHitOut:
        m = hit.message
        return cls(
            "message",
            round(hit.score, 4),
            m.content,
            session_id=m.session_id,
            contact_jid=m.contact_jid,
            direction=m.direction.value,
            message_id=m.id,
            timestamp=m.timestamp,
        )

    @classmethod
    def of_chunk(cls, hit: ChunkHit) -> SearchHitOut:
        c = hit.chunk
        return cls(
            "chunk",
            round(hit.score, 4),
            c.text,
            document_id=c.document_id,
            chunk_id=c.id,
            title=hit.title,
        )


class SearchPage(msgspec.Struct):
    items: list[SearchHitOut]
    total: int
    limit: int
    offset: int = 0
