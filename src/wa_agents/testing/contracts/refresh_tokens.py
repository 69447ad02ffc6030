"""Contract of ``RefreshTokenRepository``. Fixture: ``backend``."""

from __future__ import annotations

from dataclasses import replace

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
