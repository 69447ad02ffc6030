"""One kind of an agent's tool definitions (HTTP tools, MCP servers), created, read, updated
and deleted the one way both share.

Each write runs in one unit of work with its audit row (``<kind>.create``/``.update``/
``.delete``, target ``agent:<id>``, the definition's name and, but on delete, its url).
A definition of another agent is ``NotFound`` as if it did not exist; unknown fields are a
``ValidationError`` and the entity checks the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import Field, dataclass, replace
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from wa_agents.domain.model.errors import NotFound, ValidationError
from wa_agents.domain.services.audit import record_audit
from wa_agents.ports.agent_tools import ToolRepository
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory


class Definition(Protocol):
    """A frozen dataclass entity with an owner, a name and a url (``replace`` needs the first)."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def agent_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def url(self) -> str: ...


D = TypeVar("D", bound=Definition)


@dataclass(frozen=True, slots=True)
class DefinitionKind(Generic[D]):
    """What differs between the kinds: the entity, its editable fields, the name ``NotFound``
    and the audit actions use, and the repository's methods for it."""

    entity: Callable[..., D]
    fields: frozenset[str]
    label: str  # NotFound's "what", e.g. "http tool"
    action: str  # the audit actions' prefix, e.g. "http_tool"
    add: Callable[[ToolRepository, D], Awaitable[None]]
    get: Callable[[ToolRepository, str], Awaitable[D]]
    update: Callable[[ToolRepository, D], Awaitable[None]]
    delete: Callable[[ToolRepository, str], Awaitable[None]]
    of_agent: Callable[[ToolRepository, str], Awaitable[list[D]]]


async def audit_agent(
    uow: UnitOfWork,
    ids: IdGenerator,
    clock: Clock,
    actor: str,
    action: str,
    agent_id: str,
    **details: Any,
) -> None:
    await record_audit(
        uow, ids, clock, actor=actor, action=action, target=f"agent:{agent_id}", **details
    )


def _fields(fields: dict[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"unknown fields: {sorted(unknown)}")
    out = dict(fields)
    for name in ("allowed_hosts", "allowed_tools"):
        if name in out:
            out[name] = tuple(out[name])
    return out


class AgentDefinitions(Generic[D]):
    def __init__(
        self, kind: DefinitionKind[D], uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator
    ) -> None:
        self._kind, self._uow, self._clock, self._ids = kind, uow, clock, ids

    async def _audit(self, uow: UnitOfWork, actor: str, verb: str, item: D, **d: Any) -> None:
        action = f"{self._kind.action}.{verb}"
        await audit_agent(uow, self._ids, self._clock, actor, action, item.agent_id, **d)

    async def add(self, agent_id: str, *, actor: str, **fields: Any) -> D:
        now = self._clock.now()
        item = self._kind.entity(
            id=self._ids.new_id(),
            agent_id=agent_id,
            created_at=now,
            updated_at=now,
            **_fields(fields, self._kind.fields),
        )
        async with self._uow() as uow:
            await uow.agents.get(agent_id)
            await self._kind.add(uow.tools, item)
            await self._audit(uow, actor, "create", item, name=item.name, url=item.url)
            await uow.commit()
        return item

    async def of_agent(self, agent_id: str) -> list[D]:
        async with self._uow() as uow:
            await uow.agents.get(agent_id)
            return await self._kind.of_agent(uow.tools, agent_id)

    async def get(self, agent_id: str, item_id: str) -> D:
        async with self._uow() as uow:
            item = await self._kind.get(uow.tools, item_id)
        if item.agent_id != agent_id:
            raise NotFound(self._kind.label, item_id)
        return item

    async def update(self, agent_id: str, item_id: str, *, actor: str, **fields: Any) -> D:
        async with self._uow() as uow:
            current = await self._kind.get(uow.tools, item_id)
            if current.agent_id != agent_id:
                raise NotFound(self._kind.label, item_id)
            changes = _fields(fields, self._kind.fields)
            item = replace(current, **changes, updated_at=self._clock.now())
            await self._kind.update(uow.tools, item)
            await self._audit(uow, actor, "update", item, name=item.name, url=item.url)
            await uow.commit()
        return item

    async def delete(self, agent_id: str, item_id: str, *, actor: str) -> None:
        item = await self.get(agent_id, item_id)
        async with self._uow() as uow:
            await self._kind.delete(uow.tools, item_id)
            await self._audit(uow, actor, "delete", item, name=item.name)
            await uow.commit()


__all__ = ["AgentDefinitions", "Definition", "DefinitionKind", "audit_agent"]
