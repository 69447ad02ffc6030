"""In-memory ``KnowledgeRepository``: documents and chunks in two dicts."""

from __future__ import annotations

from collections.abc import Sequence

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.documents import KnowledgeChunk, KnowledgeDocument
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.knowledge import KnowledgeRepository


class MemoryKnowledgeRepository(KnowledgeRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._table: Table[str, KnowledgeDocument] = Table(
            lambda: db.documents, "document", lambda d: d.id, lambda d: (d.created_at, d.id)
        )

    async def add(self, document: KnowledgeDocument, chunks: Sequence[KnowledgeChunk]) -> None:
        if await self.find_by_title(document.agent_id, document.title) is not None:
            raise AlreadyExists("document", document.title)
        self._table.add(document)
        for chunk in chunks:
            self._db.chunks[chunk.id] = chunk

    async def get(self, document_id: str) -> KnowledgeDocument:
        return self._table.get(document_id)

    async def find_by_title(self, agent_id: str, title: str) -> KnowledgeDocument | None:
        return next(
            (d for d in self._db.documents.values() if (d.agent_id, d.title) == (agent_id, title)),
            None,
        )

    async def update(self, document: KnowledgeDocument) -> None:
        self._table.update(document)

    async def delete(self, document_id: str) -> None:
        self._table.delete(document_id)
        for chunk in [c for c in self._db.chunks.values() if c.document_id == document_id]:
            del self._db.chunks[chunk.id]

    async def chunks(self, document_id: str) -> list[KnowledgeChunk]:
        found = [c for c in self._db.chunks.values() if c.document_id == document_id]
        return sorted(found, key=lambda c: c.position)

    async def find_chunks(self, chunk_ids: Sequence[str]) -> list[KnowledgeChunk]:
        return [self._db.chunks[i] for i in dict.fromkeys(chunk_ids) if i in self._db.chunks]

    async def document_ids(self) -> list[str]:
        return sorted(self._db.documents)

    async def list(self, agent_id: str, page: PageRequest) -> Page[KnowledgeDocument]:
        return self._table.page(page, lambda d: d.agent_id == agent_id, newest_first=True)
