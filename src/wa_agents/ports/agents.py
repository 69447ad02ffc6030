"""Agent repository.

Inside a ``UnitOfWork``. ``get``/``update``/``delete`` raise ``NotFound``; ``add`` raises
``AlreadyExists`` for a duplicate id. ``list`` orders by creation time, oldest first.
``update`` leaves ``tools_version`` as stored: only the ``ToolRepository`` moves it.
"""

from __future__ import annotations

from typing import Protocol

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.page import Page, PageRequest


class AgentRepository(Protocol):
    async def add(self, agent: Agent) -> None: ...
    async def get(self, agent_id: str) -> Agent: ...
    async def update(self, agent: Agent) -> None: ...
    async def delete(self, agent_id: str) -> None: ...
    async def list(self, page: PageRequest) -> Page[Agent]: ...
