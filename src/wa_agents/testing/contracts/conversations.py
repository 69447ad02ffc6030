"""Contract of ``ConversationRepository``. Fixture: ``backend`` -> ``StorageBackend``."""

from __future__ import annotations

import pytest

from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.page import PageRequest
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
            changed = conversation.with_mode(HandoffMode.PAUSED).reset_memory(at(5)).touched(at(6))
            await uow.conversations.update(changed)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.conversations.get("s1", JID) == changed

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
