"""An agent of the configured database, by name, for the console and replays.

They run on a throwaway in-memory platform: the stored agent is only read (its fields are
copied), so trying it out never writes to the real database.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.page import MAX_LIMIT, PageRequest
from wa_agents.domain.services.agents import EDITABLE
from wa_agents.entrypoints.container import build_container, close_resources, open_resources
from wa_agents.entrypoints.settings import Settings


async def stored_agent(settings: Settings, name: str) -> Agent:
    """The agent called ``name`` (case-insensitive) in the configured database."""
    container = build_container(settings)
    try:
        await open_resources(container)
        catalog = container.platform().agents
        offset, total = 0, 1
        while offset < total:
            page = await catalog.list(PageRequest(limit=MAX_LIMIT, offset=offset))
            for agent in page.items:
                if agent.name.lower() == name.lower():
                    return agent
            offset, total = offset + MAX_LIMIT, page.total
    finally:
        await close_resources(container)
    raise NotFound("agent", name)


def agent_fields(agent: Agent) -> dict[str, Any]:
    """What ``AgentCatalog.create`` needs to make a copy of ``agent``."""
    return {f.name: getattr(agent, f.name) for f in fields(agent) if f.name in EDITABLE}
