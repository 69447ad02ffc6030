"""Contract of ``UsageRepository`` and ``ContactRepository``. Fixture: ``backend``."""

from __future__ import annotations

from typing import Any

import pytest

from wa_agents.domain.model.conversation import Memory
from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.usage import TurnUsage, UsageGroup, UsageTotals
from wa_agents.testing.contracts._support import seed_session
from wa_agents.testing.factories import at, make_message
from wa_agents.testing.harness import StorageBackend

JID = "15551230000@s.whatsapp.net"
LID = "987654321012345@lid"
DAY = 86_400


def make_usage(n: int, **overrides: Any) -> TurnUsage:
    fields: dict[str, Any] = {
        "id": f"u{n}",
        "agent_id": "a1",
        "session_id": "s1",
        "contact_jid": JID,
        "message_id": f"m{n}",
        "model": "gpt-4o-mini",
        "prompt_version": "abc123",
        "tokens_in": 100,
        "tokens_out": 10,
        "latency_ms": 50,
        "cost_usd": 0.25,
        "tool_calls": [{"name": "current_time", "arguments": "{}", "result": "now"}],
        "created_at": at(n),
    }
    return TurnUsage(**{**fields, **overrides})


class UsageRepositoryContract:
    async def test_add_then_sum_by_window_and_agent(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.usage.add(make_usage(1))
            await uow.usage.add(make_usage(2, agent_id="a2", tokens_in=7, cost_usd=0.5))
            await uow.usage.add(make_usage(3, tokens_out=1))
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.usage.totals() == UsageTotals(3, 207, 21, 1.0)
            assert await uow.usage.totals(agent_id="a1") == UsageTotals(2, 200, 11, 0.5)
            assert await uow.usage.totals(since=at(2), until=at(3)) == UsageTotals(1, 7, 10, 0.5)
            assert await uow.usage.totals(agent_id="nobody") == UsageTotals()
            with pytest.raises(AlreadyExists):
                await uow.usage.add(make_usage(1))

    async def test_grouped_by_agent_session_and_day(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.usage.add(make_usage(1))
            await uow.usage.add(make_usage(2, agent_id=None, session_id="s2"))
            await uow.usage.add(make_usage(DAY + 5, agent_id="a2"))
            await uow.commit()
        async with backend.uow() as uow:
            agents = await uow.usage.grouped(UsageGroup.AGENT, since=None, until=None)
            sessions = await uow.usage.grouped(UsageGroup.SESSION, since=None, until=None)
            days = await uow.usage.grouped(UsageGroup.DAY, since=at(0), until=at(2 * DAY))
            late = await uow.usage.grouped(UsageGroup.DAY, since=at(3), until=None)
        assert [(r.key, r.totals.turns) for r in agents] == [("", 1), ("a1", 1), ("a2", 1)]
        assert [(r.key, r.totals.tokens_in) for r in sessions] == [("s1", 200), ("s2", 100)]
        first, second = at(0).date().isoformat(), at(DAY + 5).date().isoformat()
        assert [(r.key, r.totals.turns) for r in days] == [(first, 2), (second, 1)]
        assert [r.key for r in late] == [second]

    async def test_a_record_keeps_its_tool_calls(self, backend: StorageBackend) -> None:
        record = make_usage(1)
        async with backend.uow() as uow:
            await uow.usage.add(record)
            await uow.usage.add(make_usage(2, contact_jid=LID))
            await uow.usage.add(make_usage(3, contact_jid="other@s.whatsapp.net"))
            await uow.commit()
        async with backend.uow() as uow:
            mine = await uow.usage.for_contact("s1", [JID, LID])
            assert mine[0] == record and [r.id for r in mine] == ["u1", "u2"]
            assert await uow.usage.delete_contact("s1", [JID, LID]) == 2
            await uow.commit()
        async with backend.uow() as uow:
            assert [r.id for r in await uow.usage.for_contact("s1", [JID, LID])] == []
            assert (await uow.usage.totals()).turns == 1


class ContactRepositoryContract:
    async def test_link_and_resolve_are_idempotent(self, backend: StorageBackend) -> None:
        await seed_session(backend)
        async with backend.uow() as uow:
            assert await uow.contacts.resolve("s1", LID) == LID
            await uow.contacts.link("s1", LID, JID, at(1))
            await uow.contacts.link("s1", LID, "someone@s.whatsapp.net", at(2))  # first wins
            await uow.contacts.link("s1", JID, JID, at(2))  # itself: nothing
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.contacts.resolve("s1", LID) == JID
            assert await uow.contacts.resolve("s1", JID) == JID
            assert await uow.contacts.aliases("s1", JID) == [LID]

    async def test_erase_deletes_every_row_of_the_contact_only(
        self, backend: StorageBackend
    ) -> None:
        await seed_session(backend)
        keep = make_message(contact_jid="other@s.whatsapp.net", wa_message_id="W9")
        async with backend.uow() as uow:
            await uow.messages.add(make_message(contact_jid=JID, wa_message_id="W1"))
            await uow.messages.add(make_message(contact_jid=LID, wa_message_id="W2"))
            await uow.messages.add(keep)
            conversation = await uow.conversations.get_or_create("s1", JID, at(1))
            await uow.conversations.update(conversation.remembering(Memory("likes tea")))
            await uow.conversations.get_or_create("s1", keep.contact_jid, at(1))
            await uow.contacts.link("s1", LID, JID, at(1))
            await uow.usage.add(make_usage(1))
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.contacts.related("s1", [JID, LID]) == {}
            counts = await uow.contacts.erase("s1", [JID, LID])
            await uow.commit()
        assert counts["messages"] == 2 and counts["conversations"] == 1
        assert counts["turn_usage"] == 1 and counts["contact_aliases"] == 1
        async with backend.uow() as uow:
            assert await uow.messages.recent("s1", JID, limit=10) == []
            assert await uow.messages.recent("s1", LID, limit=10) == []
            assert [m.id for m in await uow.messages.recent("s1", keep.contact_jid, limit=9)] == [
                keep.id
            ]
            with pytest.raises(NotFound):
                await uow.conversations.get("s1", JID)
            assert await uow.contacts.resolve("s1", LID) == LID
            # the dedup key of an erased message is free again
            assert await uow.messages.add(make_message(contact_jid=JID, wa_message_id="W1"))


class ConversationMemoryContract:
    async def test_the_summary_is_stored_and_reset_clears_it(self, backend: StorageBackend) -> None:
        await seed_session(backend)
        memory = Memory("The user is Zé; wants a refund.", at(5), "m5", at(6))
        async with backend.uow() as uow:
            conversation = await uow.conversations.get_or_create("s1", JID, at(1))
            await uow.conversations.update(conversation.remembering(memory))
            await uow.commit()
        async with backend.uow() as uow:
            stored = await uow.conversations.get("s1", JID)
            assert stored.memory == memory
            assert stored.memory.covers(at(5), "m5") and not stored.memory.covers(at(5), "m6")
            await uow.conversations.update(stored.reset_memory(at(9)))
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.conversations.get("s1", JID)).memory == Memory()
