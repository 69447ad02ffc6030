"""IndexingService: what the ``index`` jobs do, and how they are scheduled.

Messages: the unit of work that stores a message also enqueues (coalesced) one ``index`` job
for its conversation, due a few seconds later, so a burst and its replies become one job. The
job indexes every not-yet-indexed message of the conversation and marks them, so a retry or a
duplicate job does no harm. Documents: the upload's unit of work enqueues a job that embeds
the document's chunks, then drops the vectors of the document it replaced.
Vector items carry the shared metadata keys (``wa_agents.domain.model.knowledge``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from wa_agents.domain.model.command import parse_command
from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.documents import KnowledgeChunk, KnowledgeDocument
from wa_agents.domain.model.errors import NotFound, WaAgentsError
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.knowledge import Scalar, VectorItem
from wa_agents.domain.model.media import is_waiting, searchable_text
from wa_agents.domain.model.message import Direction, Message
from wa_agents.ports.clock import Clock
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

INDEX_DELAY = timedelta(seconds=3)
BATCH = 128
log = logging.getLogger("wa_agents.indexing")


async def schedule_conversation(
    uow: UnitOfWork, session_id: str, contact_jid: str, now: datetime
) -> None:
    """Inside the caller's unit of work: index this conversation soon (one job per burst)."""
    await uow.jobs.enqueue(
        JobKind.INDEX,
        {"session_id": session_id, "contact_jid": contact_jid},
        key="index/" + conversation_key(session_id, contact_jid),
        run_at=now + INDEX_DELAY,
        coalesce=True,
    )


async def schedule_document(
    uow: UnitOfWork, document: KnowledgeDocument, replaces: str | None = None
) -> None:
    payload = {"document_id": document.id, "replaces": replaces}
    await uow.jobs.enqueue(JobKind.INDEX, payload, key=f"index/document/{document.id}")


def searchable(message: Message) -> bool:
    """Text worth finding again: not empty, not a slash command, not a command's answer."""
    if not searchable_text(message).strip():
        return False
    if message.direction == Direction.INBOUND:
        return parse_command(message.content) is None
    return "command" not in message.metadata


def message_item(message: Message, agent_id: str | None) -> VectorItem:
    metadata: dict[str, Scalar] = {
        "kind": "message",
        "session_id": message.session_id,
        "contact_jid": message.contact_jid,
        "message_id": message.id,
        "direction": message.direction.value,
        "timestamp": message.timestamp.timestamp(),
    }
    if agent_id is not None:
        metadata["agent_id"] = agent_id
    return VectorItem(f"message:{message.id}", searchable_text(message), metadata)


def chunk_item(chunk: KnowledgeChunk, document: KnowledgeDocument) -> VectorItem:
    metadata: dict[str, Scalar] = {
        "kind": "chunk",
        "agent_id": chunk.agent_id,
        "document_id": chunk.document_id,
        "chunk_id": chunk.id,
        "title": document.title,
        "timestamp": document.created_at.timestamp(),
    }
    return VectorItem(f"chunk:{chunk.id}", chunk.text, metadata)


async def index_conversation(
    uow_factory: UnitOfWorkFactory,
    index: VectorIndex,
    session_id: str,
    contact_jid: str,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Index every not-yet-indexed message of a conversation; returns how many it embedded.
    Idempotent: what is indexed is marked, and upserting an item again changes nothing.
    ``on_batch`` hears how many messages each batch covered (a progress bar)."""
    done = 0
    while True:
        async with uow_factory() as uow:
            batch = await uow.messages.unindexed(session_id, contact_jid, limit=BATCH)
            session = await uow.sessions.find(session_id)
        if not batch or session is None:
            return done
        # a file still being transcribed or read is indexed once its media job is done
        ready = [m for m in batch if not is_waiting(m)]
        items = [message_item(m, session.agent_id) for m in ready if searchable(m)]
        await index.upsert(items)
        async with uow_factory() as uow:
            await uow.messages.mark_indexed([m.id for m in ready])
            await uow.commit()
        done += len(items)
        if on_batch is not None:
            on_batch(len(batch))
        if len(batch) < BATCH or not ready:  # that was the rest: no need to ask again
            return done


class IndexingService:
    def __init__(
        self, uow: UnitOfWorkFactory, index: VectorIndex, clock: Clock, batch: int = BATCH
    ) -> None:
        self._uow, self._index, self._clock, self._batch = uow, index, clock, batch

    @property
    def uow(self) -> UnitOfWorkFactory:
        return self._uow

    @property
    def index(self) -> VectorIndex:
        return self._index

    async def run(self, payload: dict[str, Any]) -> int:
        """An ``index`` job: a conversation or a document; returns how many items it indexed."""
        if "document_id" in payload:
            return await self.index_document(payload["document_id"], payload.get("replaces"))
        return await self.index_conversation(payload["session_id"], payload["contact_jid"])

    async def index_conversation(self, session_id: str, contact_jid: str) -> int:
        return await index_conversation(self._uow, self._index, session_id, contact_jid)

    async def index_document(self, document_id: str, replaces: str | None = None) -> int:
        try:
            async with self._uow() as uow:
                document = await uow.knowledge.get(document_id)
                chunks = await uow.knowledge.chunks(document_id)
        except NotFound:  # deleted before its job ran: nothing of it may stay searchable
            await self._index.delete({"document_id": document_id})
            return 0
        for start in range(0, len(chunks), self._batch):
            part = chunks[start : start + self._batch]
            await self._index.upsert([chunk_item(c, document) for c in part])
        if replaces:
            await self._index.delete({"document_id": replaces})
        async with self._uow() as uow:
            try:
                current: KnowledgeDocument | None = await uow.knowledge.get(document_id)
            except NotFound:  # deleted while it was being indexed
                current = None
            if current is not None:
                await uow.knowledge.update(current.indexed(self._clock.now()))
                await uow.commit()
        if current is None:
            await self._index.delete({"document_id": document_id})
        return len(chunks)

    async def gave_up(self, payload: dict[str, Any], error: str) -> None:
        """An ``index`` job is dead: a document says why it is not searchable."""
        if "document_id" not in payload:
            return
        async with self._uow() as uow:
            try:
                document = await uow.knowledge.get(payload["document_id"])
            except NotFound:
                return
            await uow.knowledge.update(document.failed(error, self._clock.now()))
            await uow.commit()

    async def forget(self, session_id: str, contact_jid: str | None = None) -> None:
        """Remove a session's (or one contact's) vectors; a failure is logged, not raised:
        the rows are gone, and search never shows a hit whose message no longer exists."""
        where = {"session_id": session_id}
        if contact_jid is not None:
            where["contact_jid"] = contact_jid
        try:
            await self._index.delete(where)
        except WaAgentsError as exc:
            log.warning("could not remove the vectors of %s: %s", where, exc)
