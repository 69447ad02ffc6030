"""In-memory ``AgentRepository``."""

from __future__ import annotations

from dataclasses import replace

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.agents import AgentRepository


class MemoryAgentRepository(AgentRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._table: Table[str, Agent] = Table(
            lambda: db.agents, "agent", lambda a: a.id, lambda a: (a.created_at, a.id)
        )

    async def add(self, agent: Agent) -> None:
        self._table.add(agent)

    async def get(self, agent_id: str) -> Agent:
        return self._table.get(agent_id)

    async def update(self, agent: Agent) -> None:
        stored = self._table.get(agent.id)  # the tools version is the tool store's, not ours
        self._table.update(replace(agent, tools_version=stored.tools_version))

    async def delete(self, agent_id: str) -> None:
        self._table.delete(agent_id)

    async def list(self, page: PageRequest) -> Page[Agent]:
        return self._table.page(page)
