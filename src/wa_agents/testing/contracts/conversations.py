"""Contract of ``ConversationRepository``. Fixture: ``backend`` -> ``StorageBackend``."""

from __future__ import annotations

import pytest

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.page import PageRequest
from wa_agents.ports.conversations import ConversationFilter
from wa_agents.testing.contracts._support import seed_session
from wa_agents.testing.factories import at
from wa_agents.testing.harness import StorageBackend

JID = "15551230000@s.whatsapp.net"


class ConversationRepositoryContract:
    async def test_get_or_create_is_idempotent(self, backend: StorageBackend) -> None:
        await seed_session(backend)
        async with backend.uow() as uow:
            first = await uow.conversations.get_or_create("s1", JID, at(1))
            await uow.commit()
        async with backend.uow() as uow:
            again = await uow.conversations.get_or_create("s1", JID, at(50))
        assert first == again
        assert first.mode == HandoffMode.AI and first.created_at == at(1)

    async def test_update_keeps_mode_and_memory_marker(self, backend: StorageBackend) -> None:
        await seed_session(backend)
        async with backend.uow() as uow:
            conversation = await uow.conversations.get_or_create("s1", JID, at(1))
            changed = (
                conversation.switched(HandoffMode.PAUSED, by="operator:ana", now=at(4))
                .reset_memory(at(5))
                .touched(at(6))
            )
            await uow.conversations.update(changed)
            await uow.commit()
        async with backend.uow() as uow:
            stored = await uow.conversations.get("s1", JID)
        assert stored == changed  # mode_changed_at and mode_by too
        assert (stored.mode_changed_at, stored.mode_by) == (at(4), "operator:ana")

    async def test_touch_creates_then_only_moves_forward(self, backend: StorageBackend) -> None:
        await seed_session(backend)
        async with backend.uow() as uow:
            created = await uow.conversations.touch("s1", JID, at(10))
            later = await uow.conversations.touch("s1", JID, at(20))
            earlier = await uow.conversations.touch("s1", JID, at(15))
            await uow.commit()
        assert (created.mode, created.created_at, created.last_activity_at) == (
            HandoffMode.AI,
            at(10),
            at(10),
        )
        assert later.last_activity_at == at(20) and later.created_at == at(10)
        assert earlier.last_activity_at == at(20)
        async with backend.uow() as uow:
            assert await uow.conversations.get("s1", JID) == earlier

    async def test_unknown_conversation_raises_not_found(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                await uow.conversations.get("s1", JID)

    async def test_list_is_per_session_newest_activity_first(self, backend: StorageBackend) -> None:
        await seed_session(backend, "s1")
        await seed_session(backend, "s2")
        async with backend.uow() as uow:
            for n, when in ((1, 10), (2, 30), (3, 20)):
                await uow.conversations.get_or_create("s1", f"{n}@s.whatsapp.net", at(when))
            await uow.conversations.get_or_create("s2", "9@s.whatsapp.net", at(99))
            await uow.commit()
        async with backend.uow() as uow:
            page = await uow.conversations.list("s1", PageRequest(limit=2))
        assert [c.contact_jid for c in page.items] == ["2@s.whatsapp.net", "3@s.whatsapp.net"]
        assert page.total == 3

    async def test_list_across_spans_sessions_and_filters(self, backend: StorageBackend) -> None:
        await seed_session(backend, "s1")
        await seed_session(backend, "s2")
        async with backend.uow() as uow:
            for session_id, jid, when in (("s1", "111", 10), ("s2", "222", 30), ("s1", "333", 20)):
                await uow.conversations.get_or_create(session_id, f"{jid}@s.whatsapp.net", at(when))
            human = await uow.conversations.get("s1", "333@s.whatsapp.net")
            await uow.conversations.update(human.with_mode(HandoffMode.HUMAN))
            await uow.commit()

        async def keys(where: ConversationFilter, limit: int = 10) -> tuple[list[str], int]:
            async with backend.uow() as uow:
                page = await uow.conversations.list_across(where, PageRequest(limit=limit))
            return [f"{c.session_id}/{c.contact_jid[:3]}" for c in page.items], page.total

        assert await keys(ConversationFilter()) == (["s2/222", "s1/333", "s1/111"], 3)
        assert await keys(ConversationFilter(), limit=1) == (["s2/222"], 3)
        assert await keys(ConversationFilter(session_id="s1")) == (["s1/333", "s1/111"], 2)
        assert await keys(ConversationFilter(mode=HandoffMode.HUMAN)) == (["s1/333"], 1)
        assert await keys(ConversationFilter(contact="22")) == (["s2/222"], 1)
        assert await keys(ConversationFilter(contact="%")) == ([], 0)  # no wildcard
        both = ConversationFilter(session_id="s2", mode=HandoffMode.HUMAN)
        assert await keys(both) == ([], 0)
