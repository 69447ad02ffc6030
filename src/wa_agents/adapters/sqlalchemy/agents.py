"""SQLAlchemy ``AgentRepository``."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from wa_agents.adapters.sqlalchemy.base import Repository
from wa_agents.adapters.sqlalchemy.convert import agent_values, agents, to_agent
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.ports.agents import AgentRepository


class SqlAlchemyAgentRepository(Repository, AgentRepository):
    async def add(self, agent: Agent) -> None:
        await self._insert_unique(insert(agents).values(agent_values(agent)), "agent", agent.id)

    async def get(self, agent_id: str) -> Agent:
        return await self._one(
            select(agents).where(agents.c.id == agent_id), to_agent, "agent", agent_id
        )

    async def update(self, agent: Agent) -> None:
        statement = update(agents).where(agents.c.id == agent.id).values(agent_values(agent))
        await self._changed(statement, "agent", agent.id)

    async def delete(self, agent_id: str) -> None:
        await self._changed(delete(agents).where(agents.c.id == agent_id), "agent", agent_id)

    async def list(self, page: PageRequest) -> Page[Agent]:
        return await self._page(select(agents), to_agent, page, agents.c.created_at, agents.c.id)
