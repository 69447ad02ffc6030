"""SQLAlchemy ``KnowledgeRepository``: ``knowledge_documents`` and ``knowledge_chunks``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import Row
from wa_agents.adapters.sqlalchemy.tables import KnowledgeChunkRow, KnowledgeDocumentRow
from wa_agents.domain.model.documents import (
    DocumentSource,
    DocumentStatus,
    KnowledgeChunk,
    KnowledgeDocument,
)
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.knowledge import KnowledgeRepository

documents: Table = cast(Table, KnowledgeDocumentRow.__table__)
chunks: Table = cast(Table, KnowledgeChunkRow.__table__)
d, c = documents.c, chunks.c
_CHUNK_FIELDS = ("id", "document_id", "agent_id", "position", "heading", "text")
_DOCUMENT_FIELDS = tuple(col.name for col in documents.columns)


def document_values(document: KnowledgeDocument) -> dict[str, Any]:
    values = {name: getattr(document, name) for name in _DOCUMENT_FIELDS}
    return {**values, "source": document.source.value, "status": document.status.value}


def to_document(row: Row) -> KnowledgeDocument:
    return KnowledgeDocument(
        **{
            **row,
            "source": DocumentSource(row["source"]),
            "status": DocumentStatus(row["status"]),
        }
    )


def to_chunk(row: Row) -> KnowledgeChunk:
    return KnowledgeChunk(**row)


class SqlAlchemyKnowledgeRepository(Repository, KnowledgeRepository):
    async def add(self, document: KnowledgeDocument, parts: Sequence[KnowledgeChunk]) -> None:
        statement = insert(documents).values(document_values(document))
        await self._insert_unique(statement, "document", document.title)
        if parts:
            rows = [{name: getattr(p, name) for name in _CHUNK_FIELDS} for p in parts]
            await self._s.execute(insert(chunks), rows)

    async def get(self, document_id: str) -> KnowledgeDocument:
        query = select(documents).where(d.id == document_id)
        return await self._one(query, to_document, "document", document_id)

    async def find_by_title(self, agent_id: str, title: str) -> KnowledgeDocument | None:
        query = select(documents).where(d.agent_id == agent_id, d.title == title)
        row = (await self._s.execute(query)).mappings().first()
        return None if row is None else to_document(row)

    async def update(self, document: KnowledgeDocument) -> None:
        values = document_values(document)
        statement = update(documents).where(d.id == document.id).values(values)
        await self._changed(statement, "document", document.id)

    async def delete(self, document_id: str) -> None:
        await self._s.execute(delete(chunks).where(c.document_id == document_id))
        statement = delete(documents).where(d.id == document_id)
        await self._changed(statement, "document", document_id)

    async def chunks(self, document_id: str) -> list[KnowledgeChunk]:
        query = select(chunks).where(c.document_id == document_id).order_by(c.position)
        return [to_chunk(r) for r in (await self._s.execute(query)).mappings()]

    async def find_chunks(self, chunk_ids: Sequence[str]) -> list[KnowledgeChunk]:
        if not chunk_ids:
            return []
        query = select(chunks).where(c.id.in_(list(chunk_ids)))
        return [to_chunk(r) for r in (await self._s.execute(query)).mappings()]

    async def document_ids(self) -> list[str]:
        rows = await self._s.execute(select(d.id).order_by(d.id))
        return [str(r) for r in rows.scalars()]

    async def list(self, agent_id: str, page: PageRequest) -> Page[KnowledgeDocument]:
        query = select(documents).where(d.agent_id == agent_id)
        return await self._page(query, to_document, page, d.created_at.desc(), d.id.desc())
