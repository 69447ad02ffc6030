"""Helpers shared by the storage contracts."""

from __future__ import annotations

from wa_agents.domain.model.session import Session
from wa_agents.domain.model.user import User
from wa_agents.testing.factories import make_session, make_user
from wa_agents.testing.harness import StorageBackend


async def seed_session(backend: StorageBackend, session_id: str = "s1") -> Session:
    session = make_session(id=session_id)
    async with backend.uow() as uow:
        await uow.sessions.add(session)
        await uow.commit()
    return session


async def seed_user(backend: StorageBackend, **overrides: object) -> User:
    user = make_user(**overrides)
    async with backend.uow() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user
