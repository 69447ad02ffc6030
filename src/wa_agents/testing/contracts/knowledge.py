"""Contract of ``KnowledgeRepository``, and of the messages' indexing marks.

Fixture: ``backend`` -> ``StorageBackend``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.domain.model.documents import DocumentStatus
from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import PageRequest
from wa_agents.testing.contracts._support import seed_session
from wa_agents.testing.factories import at, make_agent, make_chunks, make_document, make_message
from wa_agents.testing.harness import StorageBackend

JID = "15551230000@s.whatsapp.net"


class KnowledgeRepositoryContract:
    @pytest.fixture(autouse=True)
    async def _agent(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.agents.add(make_agent(id="a1"))
            await uow.agents.add(make_agent(id="a2"))
            await uow.commit()

    async def test_a_document_and_its_chunks_round_trip(self, backend: StorageBackend) -> None:
        document = make_document(filename="faq.md", url=None)
        parts = make_chunks(document, "first passage", "second passage")
        async with backend.uow() as uow:
            await uow.knowledge.add(document, parts)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.knowledge.get(document.id) == document
            assert await uow.knowledge.chunks(document.id) == parts
            found = await uow.knowledge.find_chunks([parts[1].id, "nope", parts[1].id])
            assert found == [parts[1]]
            assert await uow.knowledge.find_by_title("a1", document.title) == document
            assert await uow.knowledge.find_by_title("a2", document.title) is None
            assert await uow.knowledge.document_ids() == [document.id]

    async def test_a_title_is_unique_per_agent(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.knowledge.add(make_document(title="FAQ"), [])
            await uow.knowledge.add(make_document(title="FAQ", agent_id="a2"), [])
            with pytest.raises(AlreadyExists):
                await uow.knowledge.add(make_document(title="FAQ"), [])

    async def test_update_list_and_delete(self, backend: StorageBackend) -> None:
        old, new = make_document(created_at=at(1)), make_document(created_at=at(2))
        async with backend.uow() as uow:
            await uow.knowledge.add(old, make_chunks(old, "a", "b"))
            await uow.knowledge.add(new, [])
            await uow.knowledge.update(replace(old.indexed(at(5)), chunk_count=2))
            await uow.commit()
        async with backend.uow() as uow:
            page = await uow.knowledge.list("a1", PageRequest(limit=10))
            assert [d.id for d in page.items] == [new.id, old.id] and page.total == 2
            assert page.items[1].status == DocumentStatus.INDEXED
            assert page.items[1].indexed_at == at(5)
            assert (await uow.knowledge.list("a2", PageRequest())).total == 0
            await uow.knowledge.delete(old.id)
            assert await uow.knowledge.chunks(old.id) == []
            with pytest.raises(NotFound):
                await uow.knowledge.get(old.id)
            with pytest.raises(NotFound):
                await uow.knowledge.delete(old.id)
            with pytest.raises(NotFound):
                await uow.knowledge.update(old)


class MessageIndexMarksContract:
    async def test_new_messages_are_unindexed_until_marked(self, backend: StorageBackend) -> None:
        await seed_session(backend, "s1")
        await seed_session(backend, "s2")
        first, second = make_message(timestamp=at(1)), make_message(timestamp=at(2))
        elsewhere = make_message(session_id="s2", timestamp=at(3))
        async with backend.uow() as uow:
            for message in (second, first, elsewhere):
                await uow.messages.add(message)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.messages.unindexed("s1", JID, limit=10) == [first, second]
            assert await uow.messages.unindexed("s1", JID, limit=1) == [first]
            assert await uow.messages.mark_indexed([first.id, "missing"]) == 1
            assert await uow.messages.mark_indexed([first.id]) == 0
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.messages.unindexed("s1", JID, limit=10) == [second]
            assert await uow.messages.find(first.id) == first
            assert await uow.messages.find("missing") is None
            await uow.messages.mark_indexed([second.id, elsewhere.id])
            assert await uow.messages.mark_unindexed("s2") == 1
            assert await uow.messages.unindexed("s2", JID, limit=10) == [elsewhere]
            assert await uow.messages.unindexed("s1", JID, limit=10) == []
            assert await uow.messages.mark_unindexed() == 3
            assert len(await uow.messages.unindexed("s1", JID, limit=10)) == 2
