"""Contract of ``UserRepository``. Fixture: ``backend`` -> ``StorageBackend``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import Role
from wa_agents.testing.contracts._support import seed_user
from wa_agents.testing.factories import at, make_user
from wa_agents.testing.harness import StorageBackend


class UserRepositoryContract:
    async def test_add_then_get_returns_an_equal_user(self, backend: StorageBackend) -> None:
        user = await seed_user(
            backend, role=Role.ADMIN, locked_until=at(99), last_failed_login=at(98)
        )
        async with backend.uow() as uow:
            assert await uow.users.get(user.id) == user

    async def test_get_unknown_raises_not_found(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                await uow.users.get("nope")

    @pytest.mark.parametrize("field", ["username", "email"])
    async def test_usernames_and_emails_are_unique_ignoring_case(
        self, backend: StorageBackend, field: str
    ) -> None:
        first = await seed_user(backend)
        clash = make_user(**{field: getattr(first, field).upper()})
        async with backend.uow() as uow:
            with pytest.raises(AlreadyExists):
                await uow.users.add(clash)

    async def test_find_by_username_ignores_case(self, backend: StorageBackend) -> None:
        user = await seed_user(backend, username="Alice")
        async with backend.uow() as uow:
            assert (await uow.users.find_by_username("aLICE")) == user
            assert await uow.users.find_by_username("bob") is None

    async def test_update_persists_every_field(self, backend: StorageBackend) -> None:
        user = await seed_user(backend)
        changed = replace(
            user,
            role=Role.VIEWER,
            is_active=False,
            failed_login_attempts=3,
            locked_until=at(500),
            email="new@example.com",
            hashed_password="h2",
            token_generation=7,
            updated_at=at(600),
        )
        async with backend.uow() as uow:
            await uow.users.update(changed)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.users.get(user.id) == changed

    async def test_update_unknown_raises_not_found(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            with pytest.raises(NotFound):
                await uow.users.update(make_user())

    async def test_update_cannot_steal_another_users_username(
        self, backend: StorageBackend
    ) -> None:
        alice = await seed_user(backend, username="alice")
        bob = await seed_user(backend, username="bob")
        async with backend.uow() as uow:
            with pytest.raises(AlreadyExists):
                await uow.users.update(replace(bob, username=alice.username))

    async def test_list_pages_in_creation_order_with_total(self, backend: StorageBackend) -> None:
        users = [await seed_user(backend, created_at=at(i)) for i in (3, 1, 2)]
        ordered = sorted(users, key=lambda u: u.created_at)
        async with backend.uow() as uow:
            first = await uow.users.list(PageRequest(limit=2))
            second = await uow.users.list(PageRequest(limit=2, offset=2))
            assert await uow.users.count() == 3
        assert [u.id for u in first.items + second.items] == [u.id for u in ordered]
        assert (first.total, first.limit, first.offset, second.offset) == (3, 2, 0, 2)
