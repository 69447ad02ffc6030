"""Contract of ``SessionRepository``. Fixture: ``backend`` -> ``StorageBackend``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.sessions import InboundContext
from wa_agents.testing.factories import at, make_agent, make_session
from wa_agents.testing.harness import StorageBackend


class SessionRepositoryContract:
    async def test_round_trip_keeps_every_field(self, backend: StorageBackend) -> None:
        agent = make_agent()
        session = make_session(
            status=SessionStatus.CONNECTED,
            phone_number="5511999990000",
            display_name="Shop",
            qr_code="data:image/png;base64,AAAA",
            qr_expires_at=at(60),
            agent_id=agent.id,
            connected_at=at(10),
            disconnected_at=at(5),
            send_min_interval_ms=250,
            status_reported_at=at(9),
        )
        async with backend.uow() as uow:
            await uow.agents.add(agent)
            await uow.sessions.add(session)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.sessions.get(session.id) == session
            assert await uow.sessions.find(session.id) == session
            assert await uow.sessions.find("other") is None

    async def test_with_agent_reads_the_session_and_its_agent(
        self, backend: StorageBackend
    ) -> None:
        agent = make_agent()
        linked = make_session(agent_id=agent.id)
        alone = make_session(id="alone")
        async with backend.uow() as uow:
            await uow.agents.add(agent)
            await uow.sessions.add(linked)
            await uow.sessions.add(alone)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.sessions.with_agent(linked.id) == (
                linked,
                await uow.agents.get(agent.id),
            )
            assert await uow.sessions.with_agent("alone") == (alone, None)
            with pytest.raises(NotFound):
                await uow.sessions.with_agent("missing")

    async def test_for_turn_adds_the_contacts_conversation(self, backend: StorageBackend) -> None:
        agent, now = make_agent(), at(1)
        linked, alone = make_session(agent_id=agent.id), make_session(id="alone")
        async with backend.uow() as uow:
            await uow.agents.add(agent)
            await uow.sessions.add(linked)
            await uow.sessions.add(alone)
            talked = await uow.conversations.get_or_create(linked.id, "a@s.whatsapp.net", now)
            await uow.conversations.get_or_create(alone.id, "b@s.whatsapp.net", now)
            await uow.commit()
        async with backend.uow() as uow:
            stored = await uow.agents.get(agent.id)
            assert await uow.sessions.for_turn(linked.id, "a@s.whatsapp.net") == (
                linked,
                stored,
                talked,
            )
            assert await uow.sessions.for_turn(linked.id, "b@s.whatsapp.net") == (
                linked,
                stored,
                None,  # b talked to the other number only
            )
            assert await uow.sessions.for_turn("alone", "a@s.whatsapp.net") == (alone, None, None)
            with pytest.raises(NotFound):
                await uow.sessions.for_turn("missing", "a@s.whatsapp.net")

    async def test_for_inbound_resolves_the_sender_and_its_other_jid(
        self, backend: StorageBackend
    ) -> None:
        agent, now = make_agent(), at(1)
        phone, lid, other = "1555@s.whatsapp.net", "99@lid", "2555@s.whatsapp.net"
        linked, alone = make_session(agent_id=agent.id), make_session(id="alone")
        async with backend.uow() as uow:
            await uow.agents.add(agent)
            await uow.sessions.add(linked)
            await uow.sessions.add(alone)
            await uow.contacts.link(linked.id, lid, phone, now)  # the lid is the phone's alias
            await uow.commit()
        async with backend.uow() as uow:
            stored = await uow.agents.get(agent.id)
            found = await uow.sessions.for_inbound(linked.id, lid, phone)
            assert found == InboundContext(linked, stored, phone, phone)
            found = await uow.sessions.for_inbound(linked.id, phone, lid)
            assert found == InboundContext(linked, stored, phone, phone)
            found = await uow.sessions.for_inbound(linked.id, other)
            assert found == InboundContext(linked, stored, other, None)  # no alias: itself
            found = await uow.sessions.for_inbound("alone", lid, other)  # aliases are per number
            assert found == InboundContext(alone, None, lid, other)
            assert await uow.sessions.for_inbound("missing", phone) is None

    async def test_ids_are_unique(self, backend: StorageBackend) -> None:
        session = make_session()
        async with backend.uow() as uow:
            await uow.sessions.add(session)
            with pytest.raises(AlreadyExists):
                await uow.sessions.add(replace(session, display_name="again"))

    async def test_update_and_delete(self, backend: StorageBackend) -> None:
        session = make_session()
        async with backend.uow() as uow:
            await uow.sessions.add(session)
            await uow.commit()
        moved = session.with_qr("qr", at(30), at(1))
        async with backend.uow() as uow:
            await uow.sessions.update(moved)
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.sessions.get(session.id)).status == SessionStatus.QR_WAITING
            await uow.sessions.delete(session.id)
            await uow.commit()
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                await uow.sessions.get(session.id)
            with pytest.raises(NotFound):
                await uow.sessions.delete(session.id)
            with pytest.raises(NotFound):
                await uow.sessions.update(session)

    async def test_list_orders_by_id_and_pages(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            for sid in ("c", "a", "b"):
                await uow.sessions.add(make_session(id=sid))
            await uow.commit()
        async with backend.uow() as uow:
            page = await uow.sessions.list(PageRequest(limit=2, offset=1))
        assert [s.id for s in page.items] == ["b", "c"]
        assert page.total == 3
