"""AgentCatalog: create, change and remove agents (validated by the ``Agent`` entity)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.command import ALL_COMMANDS, check_commands
from wa_agents.domain.model.errors import InvalidTransition, ValidationError, WaAgentsError
from wa_agents.domain.model.page import MAX_LIMIT, Page, PageRequest
from wa_agents.domain.services.audit import record_audit
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

EDITABLE = frozenset(
    {
        "name",
        "description",
        "model",
        "system_prompt",
        "tools",
        "temperature",
        "max_history_tokens",
        "is_active",
        "unsupported_media_reply",
        "debounce_ms",
        "knowledge",
        "handoff",
        "hours",
        "commands",
        "memory",
        "budget",
        "media",
    }
)

log = logging.getLogger("wa_agents.agents")


def _normalise(fields: dict[str, Any]) -> None:
    """Tools as given; commands checked, then in their canonical order (as stored)."""
    if "tools" in fields:
        fields["tools"] = tuple(fields["tools"])
    if "commands" in fields:
        check_commands(tuple(fields["commands"]))
        fields["commands"] = tuple(n for n in ALL_COMMANDS if n in fields["commands"])


class AgentCatalog:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        index: VectorIndex | None = None,
    ) -> None:
        self._uow, self._clock, self._ids = uow, clock, ids
        self._index = index  # holds the agent's knowledge vectors, removed with the agent

    async def _audit(self, uow: UnitOfWork, actor: str, action: str, agent: Agent) -> None:
        await record_audit(
            uow,
            self._ids,
            self._clock,
            actor=actor,
            action=action,
            target=f"agent:{agent.id}",
            name=agent.name,
        )

    async def create(self, *, actor: str = "system", **fields: Any) -> Agent:
        unknown = set(fields) - EDITABLE
        if unknown:
            raise ValidationError(f"unknown agent fields: {sorted(unknown)}")
        now = self._clock.now()
        _normalise(fields)
        agent = Agent(id=self._ids.new_id(), created_at=now, updated_at=now, **fields)
        async with self._uow() as uow:
            await uow.agents.add(agent)
            await self._audit(uow, actor, "agent.create", agent)
            await uow.commit()
        return agent

    async def update(self, agent_id: str, *, actor: str = "system", **changes: Any) -> Agent:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValidationError(f"unknown agent fields: {sorted(unknown)}")
        _normalise(changes)
        async with self._uow() as uow:
            agent = replace(await uow.agents.get(agent_id), updated_at=self._clock.now(), **changes)
            await uow.agents.update(agent)
            await self._audit(uow, actor, "agent.update", agent)
            await uow.commit()
        return agent

    async def delete(self, agent_id: str, *, actor: str = "system") -> None:
        """Delete an agent no session uses (``InvalidTransition`` names the ones that do)."""
        async with self._uow() as uow:
            agent = await uow.agents.get(agent_id)
            users = await self._sessions_using(uow, agent_id)
            if users:
                raise InvalidTransition(f"agent {agent_id} answers sessions {users}: reassign them")
            await uow.agents.delete(agent_id)
            await self._audit(uow, actor, "agent.delete", agent)
            await uow.commit()
        if self._index is not None:
            try:
                await self._index.delete({"kind": "chunk", "agent_id": agent_id})
            except WaAgentsError as exc:
                log.warning("agent %s: its vectors stay until a reindex: %s", agent_id, exc)

    @staticmethod
    async def _sessions_using(uow: UnitOfWork, agent_id: str) -> list[str]:
        found: list[str] = []
        offset, total = 0, 1
        while offset < total:
            page = await uow.sessions.list(PageRequest(limit=MAX_LIMIT, offset=offset))
            found += [s.id for s in page.items if s.agent_id == agent_id]
            offset, total = offset + MAX_LIMIT, page.total
        return found

    async def get(self, agent_id: str) -> Agent:
        async with self._uow() as uow:
            return await uow.agents.get(agent_id)

    async def list(self, page: PageRequest) -> Page[Agent]:
        async with self._uow() as uow:
            return await uow.agents.list(page)
