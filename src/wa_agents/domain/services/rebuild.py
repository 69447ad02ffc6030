"""Rebuilding the vector index from the database (``wa-agents reindex``).

Everything (or one session) is dropped from the index, every message is marked unindexed and
indexed again conversation by conversation, then every document's chunks (a full rebuild).
The index is cleared first, so a store built with another embedder is rebuilt, not refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wa_agents.domain.model.page import MAX_LIMIT, PageRequest
from wa_agents.domain.model.session import Session
from wa_agents.domain.services.indexing import IndexingService, index_conversation
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Rebuilt:
    messages: int
    documents: int
    chunks: int


async def _all_sessions(uow: UnitOfWork) -> list[Session]:
    found: list[Session] = []
    while True:
        page = await uow.sessions.list(PageRequest(limit=MAX_LIMIT, offset=len(found)))
        found += page.items
        if not page.items or len(found) >= page.total:
            return found


async def _contacts(uow_factory: UnitOfWorkFactory, session_id: str) -> list[str]:
    jids: list[str] = []
    async with uow_factory() as uow:
        while True:
            page = await uow.conversations.list(session_id, PageRequest(MAX_LIMIT, len(jids)))
            jids += [c.contact_jid for c in page.items]
            if not page.items or len(jids) >= page.total:
                return jids


async def rebuild(
    indexing: IndexingService, session_id: str | None = None, progress: Progress | None = None
) -> Rebuilt:
    """``wa-agents reindex``: drop the vectors (all, or one session's) and index again
    everything the database holds. ``progress(what, done, total)`` follows it."""
    report = progress or (lambda _what, _done, _total: None)
    async with indexing.uow() as uow:
        sessions = [await uow.sessions.get(session_id)] if session_id else None
    if session_id is None:
        await indexing.index.clear()  # also forgets the dimension: the embedder may be new
    else:
        await indexing.index.delete({"session_id": session_id})
    async with indexing.uow() as uow:
        total = await uow.messages.mark_unindexed(session_id)
        documents = [] if session_id else await uow.knowledge.document_ids()
        sessions = sessions or await _all_sessions(uow)
        await uow.commit()
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        report("messages", done, total)

    report("messages", 0, total)
    for session in sessions:
        for jid in await _contacts(indexing.uow, session.id):
            await index_conversation(indexing.uow, indexing.index, session.id, jid, step)
    chunks = 0
    for n, document_id in enumerate(documents, 1):
        chunks += await indexing.index_document(document_id)
        report("documents", n, len(documents))
    return Rebuilt(messages=total, documents=len(documents), chunks=chunks)
