"""Contract of ``MessageRepository`` (the dedup insert above all).

Fixture: ``backend`` -> ``StorageBackend``.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.page import PageRequest
from wa_agents.testing.contracts._support import seed_session
from wa_agents.testing.factories import at, make_message
from wa_agents.testing.harness import StorageBackend

JID = "15551230000@s.whatsapp.net"


async def _add(backend: StorageBackend, *messages: Message) -> list[bool]:
    async with backend.uow() as uow:
        stored = [await uow.messages.add(m) for m in messages]
        await uow.commit()
    return stored


class MessageRepositoryContract:
    @pytest.fixture(autouse=True)
    async def _session(self, backend: StorageBackend) -> None:
        await seed_session(backend, "s1")
        await seed_session(backend, "s2")

    async def test_round_trip_keeps_every_field(self, backend: StorageBackend) -> None:
        message = make_message(
            message_type=MessageType.LOCATION,
            media_url="https://example.com/m.jpg",
            metadata={"location": {"latitude": -23.5, "longitude": -46.6}, "pushName": "Zé"},
            content="📍 here",
            status=MessageStatus.DELIVERED,
            direction=Direction.OUTBOUND,
        )
        await _add(backend, message)
        async with backend.uow() as uow:
            assert await uow.messages.get(message.id) == message

    async def test_a_redelivered_message_is_stored_once(self, backend: StorageBackend) -> None:
        first = make_message(wa_message_id="WAX")
        again = make_message(wa_message_id="WAX", content="same id, other copy")
        assert await _add(backend, first) == [True]
        assert await _add(backend, again) == [False]
        async with backend.uow() as uow:
            assert await uow.messages.count() == 1
            found = await uow.messages.find_by_wa_id("s1", Direction.INBOUND, "WAX")
        assert found == first

    async def test_dedup_key_includes_session_and_direction(self, backend: StorageBackend) -> None:
        stored = await _add(
            backend,
            make_message(wa_message_id="K"),
            make_message(wa_message_id="K", session_id="s2"),
            make_message(wa_message_id="K", direction=Direction.OUTBOUND),
            make_message(wa_message_id=None),
            make_message(wa_message_id=None),
        )
        assert stored == [True] * 5

    async def test_concurrent_duplicates_leave_one_row(self, backend: StorageBackend) -> None:
        copies = [make_message(wa_message_id="RACE") for _ in range(5)]

        async def add(message: Message) -> bool:
            return (await _add(backend, message))[0]

        results = await asyncio.gather(*(add(m) for m in copies), return_exceptions=True)
        assert [r for r in results if r is True] == [True]
        async with backend.uow() as uow:
            assert await uow.messages.count() == 1

    async def test_update_changes_status_and_wa_id(self, backend: StorageBackend) -> None:
        queued = make_message(
            direction=Direction.OUTBOUND, status=MessageStatus.QUEUED, wa_message_id=None
        )
        await _add(backend, queued)
        async with backend.uow() as uow:
            await uow.messages.update(queued.sent_as("WA-OUT-1"))
            await uow.commit()
        async with backend.uow() as uow:
            got = await uow.messages.find_by_wa_id("s1", Direction.OUTBOUND, "WA-OUT-1")
            assert got is not None and got.status == MessageStatus.SENT
            with pytest.raises(NotFound):
                await uow.messages.update(make_message())
            with pytest.raises(NotFound):
                await uow.messages.get("missing")

    async def test_mark_sent_moves_only_a_queued_reply(self, backend: StorageBackend) -> None:
        queued = make_message(
            direction=Direction.OUTBOUND, status=MessageStatus.QUEUED, wa_message_id=None
        )
        await _add(backend, queued)
        async with backend.uow() as uow:
            assert await uow.messages.mark_sent(queued.id, "WA-OUT-2")
            assert not await uow.messages.mark_sent(queued.id, "WA-OUT-3")  # sent already
            assert not await uow.messages.mark_sent("missing", "WA-OUT-4")
            await uow.commit()
        async with backend.uow() as uow:
            got = await uow.messages.get(queued.id)
        assert got == queued.sent_as("WA-OUT-2")

    async def test_mark_processed_moves_each_received_message_once(
        self, backend: StorageBackend
    ) -> None:
        waiting = [make_message(), make_message()]
        done = make_message(status=MessageStatus.PROCESSED)
        await _add(backend, *waiting, done)
        ids = [m.id for m in (*waiting, done)]

        async def claim() -> int:
            async with backend.uow() as uow:
                moved = await uow.messages.mark_processed(ids)
                await uow.commit()
            return moved

        results = await asyncio.gather(claim(), claim(), return_exceptions=True)
        assert sorted(results) == [0, 2]  # type: ignore[type-var]
        async with backend.uow() as uow:
            assert {(await uow.messages.get(i)).status for i in ids} == {MessageStatus.PROCESSED}
            assert await uow.messages.mark_processed([]) == 0

    async def test_recent_is_the_newest_n_oldest_first(self, backend: StorageBackend) -> None:
        messages = [make_message(timestamp=at(t)) for t in (5, 1, 4, 2, 3)]
        await _add(backend, *messages, make_message(contact_jid="other@s.whatsapp.net"))
        async with backend.uow() as uow:
            recent = await uow.messages.recent("s1", JID, limit=3)
            since = await uow.messages.recent("s1", JID, limit=10, since=at(4))
        assert [m.timestamp for m in recent] == [at(3), at(4), at(5)]
        assert [m.timestamp for m in since] == [at(4), at(5)]

    async def test_turn_window_is_received_and_recent_in_one(self, backend: StorageBackend) -> None:
        waiting = MessageStatus.RECEIVED
        rows = [make_message(timestamp=at(t), status=waiting) for t in (1, 2)]  # old, unanswered
        rows += [make_message(timestamp=at(t), status=MessageStatus.PROCESSED) for t in (3, 4, 6)]
        rows += [make_message(timestamp=at(t), status=waiting) for t in (7, 8)]
        out = dict(direction=Direction.OUTBOUND, status=MessageStatus.SENT, wa_message_id=None)
        rows += [make_message(timestamp=at(5), **out)]
        await _add(backend, *rows, make_message(contact_jid="other@s.whatsapp.net"))
        async with backend.uow() as uow:
            received = await uow.messages.with_status("s1", JID, Direction.INBOUND, waiting)
            for limit, since in ((3, None), (100, None), (3, at(4)), (100, at(7)), (0, None)):
                window = await uow.messages.turn_window("s1", JID, limit=limit, since=since)
                recent = await uow.messages.recent("s1", JID, limit=limit, since=since)
                assert window == (received, recent), (limit, since)
        assert [m.timestamp for m in received] == [at(1), at(2), at(7), at(8)]

    async def test_with_status_filters_direction_and_status(self, backend: StorageBackend) -> None:
        pending = make_message(timestamp=at(2))
        done = make_message(status=MessageStatus.PROCESSED)
        out = make_message(direction=Direction.OUTBOUND, status=MessageStatus.RECEIVED)
        older = make_message(timestamp=at(1))
        await _add(backend, pending, done, out, older)
        async with backend.uow() as uow:
            got = await uow.messages.with_status(
                "s1", JID, Direction.INBOUND, MessageStatus.RECEIVED
            )
        assert [m.id for m in got] == [older.id, pending.id]

    async def test_list_page_is_newest_first_with_total(self, backend: StorageBackend) -> None:
        messages = [make_message(timestamp=at(t)) for t in range(1, 6)]
        await _add(backend, *messages)
        async with backend.uow() as uow:
            page = await uow.messages.list_page("s1", JID, PageRequest(limit=2, offset=1))
            last = await uow.messages.last_message("s1", JID)
            none = await uow.messages.last_message("s2", JID)
        assert [m.timestamp for m in page.items] == [at(4), at(3)]
        assert page.total == 5
        assert last == messages[-1] and none is None

    async def test_search_text_ignores_case_newest_first(self, backend: StorageBackend) -> None:
        hits = [make_message(content=f"The INVOICE number {n}", timestamp=at(n)) for n in (1, 2, 3)]
        await _add(backend, *hits, make_message(content="nothing here"))
        async with backend.uow() as uow:
            found = await uow.messages.search_text("s1", JID, "invoice", limit=2)
            none = await uow.messages.search_text("s2", JID, "invoice", limit=2)
        assert [m.id for m in found] == [hits[2].id, hits[1].id]
        assert none == []

    async def test_search_text_treats_wildcards_literally(self, backend: StorageBackend) -> None:
        await _add(backend, make_message(content="100% sure"), make_message(content="1000 sure"))
        async with backend.uow() as uow:
            found = await uow.messages.search_text("s1", JID, "0%", limit=5)
            under = await uow.messages.search_text("s1", JID, "_", limit=5)
        assert [m.content for m in found] == ["100% sure"]
        assert under == []

    async def test_count_by_direction(self, backend: StorageBackend) -> None:
        await _add(
            backend,
            make_message(),
            make_message(),
            replace(make_message(), direction=Direction.OUTBOUND),
        )
        async with backend.uow() as uow:
            assert await uow.messages.count() == 3
            assert await uow.messages.count(direction=Direction.OUTBOUND) == 1

    async def test_count_by_status_and_time(self, backend: StorageBackend) -> None:
        failed = replace(
            make_message(timestamp=at(50)),
            direction=Direction.OUTBOUND,
            status=MessageStatus.FAILED,
        )
        await _add(backend, make_message(timestamp=at(10)), make_message(timestamp=at(20)), failed)
        async with backend.uow() as uow:
            assert await uow.messages.count(since=at(20)) == 2
            assert await uow.messages.count(since=at(10), until=at(20)) == 1
            assert await uow.messages.count(status=MessageStatus.FAILED) == 1
            inbound_late = await uow.messages.count(direction=Direction.INBOUND, since=at(15))
            assert inbound_late == 1

    async def test_unanswered_counts_inbound_after_the_last_reply(
        self, backend: StorageBackend
    ) -> None:
        def inbound(t: float) -> Message:
            return make_message(timestamp=at(t))

        def outbound(t: float) -> Message:
            return make_message(
                timestamp=at(t), direction=Direction.OUTBOUND, status=MessageStatus.SENT
            )

        async def unanswered() -> int:
            async with backend.uow() as uow:
                return await uow.messages.unanswered("s1", JID)

        assert await unanswered() == 0
        await _add(backend, inbound(1), inbound(2))
        assert await unanswered() == 2
        await _add(backend, outbound(3), inbound(4))
        assert await unanswered() == 1
        await _add(backend, make_message(session_id="s2", timestamp=at(9)))
        await _add(backend, make_message(contact_jid="15550000000@s.whatsapp.net", timestamp=at(9)))
        assert await unanswered() == 1
        await _add(backend, outbound(5))
        assert await unanswered() == 0
