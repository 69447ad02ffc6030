"""Contract of ``DeliveryLog``. Fixture: ``backend``."""

from __future__ import annotations

from wa_agents.testing.factories import at
from wa_agents.testing.harness import StorageBackend


class DeliveryLogContract:
    async def test_an_id_is_recorded_once(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            assert not await uow.deliveries.seen("msg_1")
            assert await uow.deliveries.record("msg_1", at(0))
            assert not await uow.deliveries.record("msg_1", at(1))
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.deliveries.seen("msg_1")
            assert not await uow.deliveries.seen("msg_2")

    async def test_nothing_is_kept_without_commit(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.deliveries.record("msg_1", at(0))
        async with backend.uow() as uow:
            assert not await uow.deliveries.seen("msg_1")

    async def test_old_ids_are_forgotten(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.deliveries.record("old", at(0))
            await uow.deliveries.record("new", at(100))
            assert await uow.deliveries.forget_before(at(50)) == 1
            await uow.commit()
        async with backend.uow() as uow:
            assert not await uow.deliveries.seen("old")
            assert await uow.deliveries.seen("new")
