"""SearchService: find messages and knowledge passages by meaning.

The vector index ranks; the database decides what exists: every hit is looked up again, so
a deleted message or document never comes back from a stale vector. Equal scores put the
newest message first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wa_agents.domain.model.documents import KnowledgeChunk
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.knowledge import AtLeast, Scalar, VectorHit
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.model.tools import Citation
from wa_agents.domain.services.indexing import index_conversation
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

MAX_LIMIT = 50
MIN_SCORE = 0.2  # for a conversation's search: below this, a "hit" is unrelated (MiniLM)


@dataclass(frozen=True, slots=True)
class MessageHit:
    score: float
    message: Message


@dataclass(frozen=True, slots=True)
class ChunkHit:
    score: float
    chunk: KnowledgeChunk
    title: str

    @property
    def citation(self) -> Citation:
        return Citation(self.chunk.document_id, self.chunk.id, self.title, round(self.score, 4))


class SearchService:
    def __init__(self, uow: UnitOfWorkFactory, index: VectorIndex) -> None:
        self._uow, self._index = uow, index

    async def messages(
        self,
        query: str,
        *,
        session_id: str | None = None,
        contact_jid: str | None = None,
        direction: Direction | None = None,
        since: datetime | None = None,
        limit: int = 10,
        exclude: frozenset[str] = frozenset(),
        min_score: float = -1.0,
    ) -> list[MessageHit]:
        """The messages closest to ``query``, best first (ties: newest first)."""
        where: dict[str, Scalar | AtLeast] = {"kind": "message"}
        for key, value in (
            ("session_id", session_id),
            ("contact_jid", contact_jid),
            ("direction", direction.value if direction else None),
        ):
            if value is not None:
                where[key] = value
        if since is not None:
            where["timestamp"] = AtLeast(since.timestamp())
        limit = max(1, min(limit, MAX_LIMIT))
        hits = await self._index.query(query, limit + len(exclude) + 5, where)
        found: list[MessageHit] = []
        async with self._uow() as uow:
            for hit in hits:
                message_id = str(hit.metadata.get("message_id", ""))
                message = None if message_id in exclude else await uow.messages.find(message_id)
                if message is not None and hit.score >= min_score:
                    found.append(MessageHit(hit.score, message))
        found.sort(key=lambda h: (-round(h.score, 5), -h.message.timestamp.timestamp()))
        return found[:limit]

    async def conversation(
        self, session_id: str, contact_jid: str, query: str, *, limit: int, exclude_id: str = ""
    ) -> list[MessageHit]:
        """Search one conversation, forgetting what came before its last ``/reset``. Its
        messages not indexed yet (the last few seconds') are indexed first, so nothing said
        is missing."""
        await index_conversation(self._uow, self._index, session_id, contact_jid)
        async with self._uow() as uow:
            try:
                since = (await uow.conversations.get(session_id, contact_jid)).memory_reset_at
            except NotFound:
                return []
        return await self.messages(
            query,
            session_id=session_id,
            contact_jid=contact_jid,
            since=since,
            limit=limit,
            exclude=frozenset({exclude_id}) if exclude_id else frozenset(),
            min_score=MIN_SCORE,
        )

    async def knowledge(self, agent_id: str, query: str, *, limit: int = 3) -> list[ChunkHit]:
        """The passages of the agent's documents closest to ``query``, best first."""
        return await self.chunks(query, agent_id=agent_id, limit=limit)

    async def chunks(
        self, query: str, *, agent_id: str | None = None, limit: int = 10
    ) -> list[ChunkHit]:
        """Knowledge passages closest to ``query`` (of one agent, when given), best first."""
        limit = max(1, min(limit, MAX_LIMIT))
        where: dict[str, Scalar | AtLeast] = {"kind": "chunk"}
        if agent_id is not None:
            where["agent_id"] = agent_id
        hits = await self._index.query(query, limit + 5, where)
        async with self._uow() as uow:
            chunks = {
                c.id: c for c in await uow.knowledge.find_chunks([_chunk_id(h) for h in hits])
            }
        return [
            ChunkHit(h.score, chunks[_chunk_id(h)], str(h.metadata.get("title", "")))
            for h in hits
            if _chunk_id(h) in chunks
        ][:limit]


def _chunk_id(hit: VectorHit) -> str:
    return str(hit.metadata.get("chunk_id", ""))
