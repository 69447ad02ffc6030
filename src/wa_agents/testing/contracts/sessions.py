"""Contract of ``SessionRepository``. Fixture: ``backend`` -> ``StorageBackend``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.session import SessionStatus
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
        )
        async with backend.uow() as uow:
            await uow.agents.add(agent)
            await uow.sessions.add(session)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.sessions.get(session.id) == session
            assert await uow.sessions.find(session.id) == session
            assert await uow.sessions.find("other") is None

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
