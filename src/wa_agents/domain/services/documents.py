"""DocumentService: an agent's knowledge documents — add (text, file, URL), list, delete.

A document is read to text, cut into passages (``chunking``), and stored with them in one
unit of work that also enqueues its ``index`` job; the list shows whether that job has run.
A document with the title of an existing one replaces it: the old one's rows go in the same
unit of work, its vectors once the new ones are in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from wa_agents.domain.model.chunking import chunk_text
from wa_agents.domain.model.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_TEXT_CHARS,
    DocumentSource,
    DocumentTooLarge,
    KnowledgeChunk,
    KnowledgeDocument,
    UnsupportedMediaType,
    media_type_of,
    title_from,
    validate_title,
)
from wa_agents.domain.model.errors import NotFound, ValidationError, WaAgentsError
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.indexing import schedule_document
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.documents import DocumentReader
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.outbound import (
    OutboundFailed,
    OutboundHttp,
    OutboundRefused,
    OutboundRequest,
    OutboundRules,
)
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("wa_agents.documents")


@dataclass(frozen=True, slots=True, kw_only=True)
class Upload:
    """What arrived, before it is read."""

    title: str
    source: DocumentSource
    media_type: str
    size_bytes: int
    filename: str | None = None
    url: str | None = None


class DocumentService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        reader: DocumentReader | None,
        index: VectorIndex | None,
        outbound: OutboundHttp | None = None,
    ) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids
        self._reader, self._index, self._outbound = reader, index, outbound

    async def add_text(
        self, agent_id: str, title: str, content: str, *, actor: str
    ) -> KnowledgeDocument:
        """JSON ``{title, content}``: the content is plain text or Markdown."""
        size = len(content.encode())
        upload = Upload(
            title=title, source=DocumentSource.TEXT, media_type="text/markdown", size_bytes=size
        )
        return await self._store(agent_id, upload, content, actor)

    async def add_file(
        self,
        agent_id: str,
        data: bytes,
        *,
        filename: str | None,
        declared_type: str | None,
        title: str | None = None,
        actor: str,
        source: DocumentSource = DocumentSource.UPLOAD,
        url: str | None = None,
    ) -> KnowledgeDocument:
        """A file (or a fetched URL's body): its type from the declared one or its name."""
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DocumentTooLarge(f"a document may be at most {MAX_DOCUMENT_BYTES} bytes")
        media_type = media_type_of(filename, declared_type)
        if self._reader is None or media_type not in self._reader.media_types:
            readable = sorted(self._reader.media_types) if self._reader else ["JSON content"]
            raise UnsupportedMediaType(f"cannot read {media_type}: send one of {readable}")
        text = await self._reader.read(data, media_type)
        upload = Upload(
            title=(title or "").strip() or title_from(filename or url),
            source=source,
            media_type=media_type,
            size_bytes=len(data),
            filename=filename,
            url=url,
        )
        return await self._store(agent_id, upload, text, actor)

    async def add_url(
        self, agent_id: str, url: str, *, title: str | None = None, actor: str
    ) -> KnowledgeDocument:
        """Fetch ``url`` once, under the outbound rules, and add what it serves."""
        if self._outbound is None:
            raise UnsupportedMediaType("this server cannot fetch URLs: upload the file instead")
        async with self._uow() as uow:  # no fetch for an agent that does not exist
            await uow.agents.get(agent_id)
        rules = OutboundRules(max_bytes=MAX_DOCUMENT_BYTES, timeout_seconds=20)
        try:
            response = await self._outbound.request(OutboundRequest(method="GET", url=url), rules)
        except OutboundRefused as exc:
            raise ValidationError(f"that URL is refused: {exc}") from exc
        except OutboundFailed as exc:
            raise ValidationError(f"could not fetch that URL: {exc}") from exc
        if not 200 <= response.status < 300:
            raise ValidationError(f"fetching that URL answered HTTP {response.status}")
        name = urlsplit(response.url).path.rsplit("/", 1)[-1] or urlsplit(response.url).hostname
        return await self.add_file(
            agent_id,
            response.body,
            filename=name,
            declared_type=response.content_type,
            title=title,
            actor=actor,
            source=DocumentSource.URL,
            url=url,
        )

    def _chunks(self, document_id: str, agent_id: str, text: str) -> list[KnowledgeChunk]:
        if len(text) > MAX_TEXT_CHARS:
            raise DocumentTooLarge(f"a document's text may be at most {MAX_TEXT_CHARS} characters")
        passages = chunk_text(text)
        if not passages:
            raise ValidationError("the document has no text to search")
        return [
            KnowledgeChunk(
                id=f"{document_id}-{n}",
                document_id=document_id,
                agent_id=agent_id,
                position=n,
                text=p.text,
                heading=p.heading,
            )
            for n, p in enumerate(passages)
        ]

    async def _store(
        self, agent_id: str, upload: Upload, text: str, actor: str
    ) -> KnowledgeDocument:
        title = upload.title.strip()
        validate_title(title)
        now, document_id = self._clock.now(), self._ids.new_id()
        chunks = self._chunks(document_id, agent_id, text)
        document = KnowledgeDocument(
            id=document_id,
            agent_id=agent_id,
            title=title,
            source=upload.source,
            media_type=upload.media_type,
            size_bytes=upload.size_bytes,
            chunk_count=len(chunks),
            filename=upload.filename,
            url=upload.url,
            created_at=now,
            updated_at=now,
        )
        async with self._uow() as uow:
            await uow.agents.get(agent_id)
            replaced = await uow.knowledge.find_by_title(agent_id, title)
            if replaced is not None:
                await uow.knowledge.delete(replaced.id)
            await uow.knowledge.add(document, chunks)
            await schedule_document(uow, document, replaced.id if replaced else None)
            await self._audit(uow, actor, "document.create", document, replaced=replaced)
            await uow.commit()
        return document

    async def list(self, agent_id: str, page: PageRequest) -> Page[KnowledgeDocument]:
        async with self._uow() as uow:
            await uow.agents.get(agent_id)
            return await uow.knowledge.list(agent_id, page)

    async def delete(self, agent_id: str, document_id: str, *, actor: str) -> None:
        """Remove the document and its chunks, then its vectors (search ignores any left)."""
        async with self._uow() as uow:
            document = await uow.knowledge.get(document_id)
            if document.agent_id != agent_id:
                raise NotFound("document", document_id)
            await uow.knowledge.delete(document_id)
            await self._audit(uow, actor, "document.delete", document)
            await uow.commit()
        if self._index is not None:
            try:
                await self._index.delete({"document_id": document_id})
            except WaAgentsError as exc:
                log.warning("document %s: its vectors stay until a reindex: %s", document_id, exc)

    async def _audit(
        self,
        uow: UnitOfWork,
        actor: str,
        action: str,
        document: KnowledgeDocument,
        replaced: KnowledgeDocument | None = None,
    ) -> None:
        details: dict[str, object] = {"document_id": document.id, "title": document.title}
        if replaced is not None:
            details["replaced"] = replaced.id
        await record_audit(
            uow,
            self._ids,
            self._clock,
            actor=actor,
            action=action,
            target=f"agent:{document.agent_id}",
            **details,
        )
