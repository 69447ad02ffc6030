"""Contract of ``UnitOfWork``: commit keeps, everything else rolls back.

Fixture: ``backend`` -> ``wa_agents.testing.StorageBackend``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.user import User
from wa_agents.testing.contracts._support import seed_session
from wa_agents.testing.factories import make_message, make_user
from wa_agents.testing.harness import StorageBackend

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)


class UnitOfWorkContract:
    async def test_commit_makes_changes_visible_to_the_next_unit(
        self, backend: StorageBackend
    ) -> None:
        user = make_user()
        async with backend.uow() as uow:
            await uow.users.add(user)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.users.get(user.id) == user

    async def test_leaving_without_commit_rolls_back(self, backend: StorageBackend) -> None:
        user = make_user()
        async with backend.uow() as uow:
            await uow.users.add(user)
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                await uow.users.get(user.id)

    async def test_an_exception_rolls_back_and_propagates(self, backend: StorageBackend) -> None:
        user = make_user()
        with pytest.raises(RuntimeError):
            async with backend.uow() as uow:
                await uow.users.add(user)
                raise RuntimeError("boom")
        async with backend.uow() as uow:
            assert await uow.users.find_by_username(user.username) is None

    async def test_explicit_rollback_discards_uncommitted_work(
        self, backend: StorageBackend
    ) -> None:
        kept, dropped = make_user(), make_user()
        async with backend.uow() as uow:
            await uow.users.add(kept)
            await uow.commit()
            await uow.users.add(dropped)
            await uow.rollback()
        async with backend.uow() as uow:
            assert await uow.users.count() == 1
            assert (await uow.users.get(kept.id)).username == kept.username

    async def test_message_and_job_commit_together_or_not_at_all(
        self, backend: StorageBackend
    ) -> None:
        await seed_session(backend)
        async with backend.uow() as uow:
            await uow.messages.add(make_message())
            await uow.jobs.enqueue("turn", {"n": 1}, key="k")
        assert (
            await backend.queue.claim(
                frozenset({"turn"}), worker_id="w", lease=timedelta(minutes=1), now=FAR_FUTURE
            )
            is None
        )
        async with backend.uow() as uow:
            assert await uow.messages.count() == 0

    async def test_concurrent_units_each_keep_their_own_writes(
        self, backend: StorageBackend
    ) -> None:
        users = [make_user() for _ in range(8)]

        async def add(user: User) -> None:
            async with backend.uow() as uow:
                await uow.users.add(user)
                await uow.commit()

        await asyncio.gather(*(add(u) for u in users))
        async with backend.uow() as uow:
            assert await uow.users.count() == len(users)
