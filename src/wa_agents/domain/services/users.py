"""UserService: manage dashboard accounts. Every change leaves an audit row."""

from __future__ import annotations

from dataclasses import replace

from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.password import validate_password
from wa_agents.domain.model.user import Role, User
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.threads import Offloader
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.security import PasswordHasher
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


class UserService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        offload: Offloader | None = None,
    ) -> None:
        self._uow, self._hasher, self._clock, self._ids = uow, hasher, clock, ids
        self._offload = offload or Offloader()

    async def _audit(
        self, uow: UnitOfWork, actor: str, action: str, user: User, **details: object
    ) -> None:
        await record_audit(
            uow,
            self._ids,
            self._clock,
            actor=actor,
            action=action,
            target=f"user:{user.username}",
            **details,
        )

    async def create(
        self,
        username: str,
        email: str,
        password: str,
        role: Role = Role.VIEWER,
        *,
        actor: str = "system",
    ) -> User:
        validate_password(password)
        if password.lower() == username.lower():
            raise ValidationError("password must not be the username")
        hashed = await self._offload(self._hasher.hash, password)
        now = self._clock.now()
        user = User(
            id=self._ids.new_id(),
            username=username,
            email=email,
            hashed_password=hashed,
            role=role,
            created_at=now,
            updated_at=now,
        )
        async with self._uow() as uow:
            await uow.users.add(user)
            await self._audit(uow, actor, "user.create", user, role=role.value)
            await uow.commit()
        return user

    async def get(self, user_id: str) -> User:
        async with self._uow() as uow:
            return await uow.users.get(user_id)

    async def list(self, page: PageRequest) -> Page[User]:
        async with self._uow() as uow:
            return await uow.users.list(page)

    async def count(self) -> int:
        async with self._uow() as uow:
            return await uow.users.count()

    async def update(
        self,
        user_id: str,
        *,
        role: Role | None = None,
        is_active: bool | None = None,
        actor: str = "system",
    ) -> User:
        """Change role and/or active flag; disabling revokes every refresh token at once, and
        any change ends the user's access tokens (and so their live streams).

        Nobody disables or demotes themselves: that is how the only admin locks everyone out.
        """
        now = self._clock.now()
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            demoted = role is not None and not role.allows(user.role)
            if user.username == actor and (is_active is False or demoted):
                raise ValidationError("you cannot disable or demote yourself; ask another admin")
            changed = replace(
                user,
                role=role or user.role,
                is_active=user.is_active if is_active is None else is_active,
                updated_at=now,
            )
            if changed.role != user.role or changed.is_active != user.is_active:
                changed = changed.end_tokens(now)  # its tokens still say the old role or state
            await uow.users.update(changed)
            if not changed.is_active:
                await uow.refresh_tokens.revoke_user(user_id, now)
            await self._audit(
                uow,
                actor,
                "user.update",
                changed,
                role=changed.role.value,
                is_active=changed.is_active,
            )
            await uow.commit()
        return changed

    async def reset_password(self, user_id: str, password: str, *, actor: str = "system") -> User:
        validate_password(password)
        async with self._uow() as uow:
            if (await uow.users.get(user_id)).username.lower() == password.lower():
                raise ValidationError("password must not be the username")
        hashed = await self._offload(self._hasher.hash, password)
        now = self._clock.now()
        async with self._uow() as uow:
            user = replace(await uow.users.get(user_id), hashed_password=hashed, updated_at=now)
            user = user.unlock(now).end_tokens(now)
            await uow.users.update(user)
            await uow.refresh_tokens.revoke_user(user_id, now)
            await self._audit(uow, actor, "user.reset_password", user)
            await uow.commit()
        return user

    async def unlock(self, user_id: str, *, actor: str = "system") -> User:
        async with self._uow() as uow:
            user = (await uow.users.get(user_id)).unlock(self._clock.now())
            await uow.users.update(user)
            await self._audit(uow, actor, "user.unlock", user)
            await uow.commit()
        return user
