"""Knowledge documents of an agent, and the chunks they are cut into for search."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from wa_agents.domain.model.errors import DomainError, ValidationError

MAX_TITLE = 200
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # an uploaded file, or a fetched URL
MAX_TEXT_CHARS = 2_000_000  # the text extracted from one document


class DocumentStatus(enum.StrEnum):
    PENDING = "pending"  # stored; its index job has not run yet
    INDEXED = "indexed"  # every chunk is searchable
    FAILED = "failed"  # the index job gave up (see ``error``); delete or upload again


class DocumentSource(enum.StrEnum):
    UPLOAD = "upload"  # a multipart file
    TEXT = "text"  # JSON {title, content}
    URL = "url"  # JSON {url}: fetched once


class UnsupportedMediaType(DomainError):
    """A document of a kind we cannot read (HTTP 415)."""


class DocumentTooLarge(DomainError):
    """A document larger than we accept (HTTP 413)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class KnowledgeDocument:
    id: str
    agent_id: str
    title: str
    source: DocumentSource
    media_type: str
    size_bytes: int
    status: DocumentStatus = DocumentStatus.PENDING
    chunk_count: int = 0
    error: str | None = None
    filename: str | None = None
    url: str | None = None
    created_at: datetime
    updated_at: datetime
    indexed_at: datetime | None = None

    def __post_init__(self) -> None:
        validate_title(self.title)

    def indexed(self, now: datetime) -> KnowledgeDocument:
        return replace(
            self, status=DocumentStatus.INDEXED, error=None, indexed_at=now, updated_at=now
        )

    def failed(self, error: str, now: datetime) -> KnowledgeDocument:
        return replace(self, status=DocumentStatus.FAILED, error=error[:1000], updated_at=now)


@dataclass(frozen=True, slots=True, kw_only=True)
class KnowledgeChunk:
    """A passage of a document: ``text`` is what is embedded and shown; ``heading`` the
    section it comes from (for the reader; it is part of ``text`` too)."""

    id: str
    document_id: str
    agent_id: str
    position: int  # 0, 1, … in document order
    text: str
    heading: str = ""


DEFAULT_MIN_SCORE = 0.35  # MiniLM cosine: related passages score above, unrelated below
DEFAULT_FALLBACK = (
    "Sorry, I don't know that: it is not in the information I was given. "
    "Could you ask it another way, or ask to talk to a person?"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class KnowledgePolicy:
    """How an agent uses its knowledge documents.

    With ``answer_only_from_knowledge``, every question is first looked up in the agent's
    documents; when no passage scores at least ``min_score`` (cosine, -1..1) the agent answers
    ``fallback_reply`` without asking the model, and hands the conversation to a person when
    ``handoff`` is set. Otherwise the passages found go to the model as a knowledge search it
    made, and it is told to answer from them only.
    """

    answer_only_from_knowledge: bool = False
    min_score: float = DEFAULT_MIN_SCORE
    fallback_reply: str = DEFAULT_FALLBACK
    handoff: bool = False

    def __post_init__(self) -> None:
        if not -1.0 <= self.min_score <= 1.0:
            raise ValidationError("knowledge.min_score must be between -1 and 1")
        if not self.fallback_reply.strip() or len(self.fallback_reply) > 2_000:
            raise ValidationError("knowledge.fallback_reply must be 1-2000 characters")


_BY_EXTENSION = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}
_GENERIC = frozenset({"", "application/octet-stream", "binary/octet-stream"})


def media_type_of(filename: str | None, declared: str | None) -> str:
    """The media type of an upload: the declared one, unless it says nothing (empty or
    octet-stream), then the file name's extension. Parameters (``; charset=…``) are dropped."""
    media_type = (declared or "").split(";")[0].strip().lower()
    if media_type in _GENERIC and filename:
        dot = filename.rfind(".")
        media_type = _BY_EXTENSION.get(filename[dot:].lower(), media_type) if dot >= 0 else ""
    if media_type == "text/x-markdown":
        media_type = "text/markdown"
    return media_type or "application/octet-stream"


def title_from(filename: str | None) -> str:
    """A title for an upload that was given none: its file name without the extension."""
    stem = (filename or "").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return stem.strip()[:MAX_TITLE] or "Untitled"


def validate_title(title: str) -> None:
    if not title.strip() or len(title) > MAX_TITLE:
        raise ValidationError(f"title must be 1-{MAX_TITLE} characters")
