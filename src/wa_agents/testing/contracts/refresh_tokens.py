"""Contract of ``RefreshTokenRepository``. Fixture: ``backend``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.testing.contracts._support import seed_user
from wa_agents.testing.factories import at, make_refresh_token
from wa_agents.testing.harness import StorageBackend


class RefreshTokenRepositoryContract:
    async def test_find_update_and_revoke(self, backend: StorageBackend) -> None:
        alice = await seed_user(backend)
        bob = await seed_user(backend)
        a1 = make_refresh_token(user_id=alice.id, family_id="fa")
        a2 = make_refresh_token(user_id=alice.id, family_id="fb")
        b1 = make_refresh_token(user_id=bob.id, family_id="fc")
        async with backend.uow() as uow:
            for token in (a1, a2, b1):
                await uow.refresh_tokens.add(token)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.refresh_tokens.find_by_hash(a1.token_hash) == a1
            assert await uow.refresh_tokens.find_by_hash("unknown") is None
            await uow.refresh_tokens.update(replace(a1, replaced_by=a2.id))
            assert await uow.refresh_tokens.revoke_family("fa", at(10)) == 1
            assert await uow.refresh_tokens.revoke_family("fa", at(11)) == 0
            assert await uow.refresh_tokens.revoke_user(alice.id, at(12)) == 1
            await uow.commit()
        async with backend.uow() as uow:
            got_a1 = await uow.refresh_tokens.find_by_hash(a1.token_hash)
            got_a2 = await uow.refresh_tokens.find_by_hash(a2.token_hash)
            got_b1 = await uow.refresh_tokens.find_by_hash(b1.token_hash)
        assert got_a1 == replace(a1, replaced_by=a2.id, revoked_at=at(10))
        assert got_a2 is not None and got_a2.revoked_at == at(12)
        assert got_b1 == b1

    async def test_a_taken_hash_is_refused(self, backend: StorageBackend) -> None:
        alice = await seed_user(backend)
        first = make_refresh_token(user_id=alice.id, family_id="fa")
        async with backend.uow() as uow:
            await uow.refresh_tokens.add(first)
            await uow.commit()
        clash = make_refresh_token(user_id=alice.id, family_id="fa", token_hash=first.token_hash)
        async with backend.uow() as uow:
            with pytest.raises(AlreadyExists):
                await uow.refresh_tokens.add(clash)

    async def test_a_family_is_active_while_it_has_a_usable_token(
        self, backend: StorageBackend
    ) -> None:
        alice = await seed_user(backend)
        old = make_refresh_token(user_id=alice.id, family_id="fa", expires_at=at(100))
        new = make_refresh_token(user_id=alice.id, family_id="fa", expires_at=at(200))
        async with backend.uow() as uow:
            await uow.refresh_tokens.add(old)
            await uow.refresh_tokens.add(new)
            await uow.refresh_tokens.update(replace(old, replaced_by=new.id))
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.refresh_tokens.family_active("fa", at(150))
            assert not await uow.refresh_tokens.family_active("fa", at(200))
            assert not await uow.refresh_tokens.family_active("other", at(150))
            await uow.refresh_tokens.revoke_family("fa", at(160))
            assert not await uow.refresh_tokens.family_active("fa", at(170))
