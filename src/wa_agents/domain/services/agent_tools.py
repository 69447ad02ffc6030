"""AgentToolService: an operator's HTTP tools, MCP servers and approval policies per agent.

Definitions are validated by their entities; writes are audited (never with a secret's value:
definitions only *name* their secrets). ``tools`` lists everything the agent's model is
offered, built-in, HTTP and MCP, with schemas and approval flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wa_agents.domain.model.agent_tools import (
    MCP_SEPARATOR,
    HttpTool,
    McpServer,
    ToolKind,
    ToolPolicy,
)
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.tools import BUILTIN_TOOLS
from wa_agents.domain.services.tool_definitions import (
    AgentDefinitions,
    DefinitionKind,
    audit_agent,
)
from wa_agents.domain.services.toolbox import ToolCatalog
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

HTTP_TOOLS: DefinitionKind[HttpTool] = DefinitionKind(
    entity=HttpTool,
    fields=frozenset(
        {
            "name",
            "description",
            "parameters",
            "method",
            "url",
            "headers",
            "allowed_hosts",
            "timeout_seconds",
            "max_response_bytes",
        }
    ),
    label="http tool",
    action="http_tool",
    add=lambda repo, tool: repo.add_http(tool),
    get=lambda repo, tool_id: repo.get_http(tool_id),
    update=lambda repo, tool: repo.update_http(tool),
    delete=lambda repo, tool_id: repo.delete_http(tool_id),
    of_agent=lambda repo, agent_id: repo.http_tools(agent_id),
)
MCP_SERVERS: DefinitionKind[McpServer] = DefinitionKind(
    entity=McpServer,
    fields=frozenset({"name", "url", "headers", "allowed_tools", "timeout_seconds"}),
    label="MCP server",
    action="mcp_server",
    add=lambda repo, server: repo.add_mcp(server),
    get=lambda repo, server_id: repo.get_mcp(server_id),
    update=lambda repo, server: repo.update_mcp(server),
    delete=lambda repo, server_id: repo.delete_mcp(server_id),
    of_agent=lambda repo, agent_id: repo.mcp_servers(agent_id),
)


@dataclass(frozen=True, slots=True)
class ToolInfo:
    name: str
    kind: ToolKind
    description: str
    parameters: dict[str, Any]
    requires_approval: bool
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class ToolListing:
    tools: list[ToolInfo]
    unavailable: dict[str, str]  # MCP server name -> why it could not be listed


class AgentToolService:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdGenerator, catalog: ToolCatalog
    ) -> None:
        self._uow, self._clock, self._ids, self._catalog = uow, clock, ids, catalog
        self._http = AgentDefinitions(HTTP_TOOLS, uow, clock, ids)
        self._mcp = AgentDefinitions(MCP_SERVERS, uow, clock, ids)

    # HTTP tools
    async def add_http(self, agent_id: str, *, actor: str, **fields: Any) -> HttpTool:
        return await self._http.add(agent_id, actor=actor, **fields)

    async def http_tools(self, agent_id: str) -> list[HttpTool]:
        return await self._http.of_agent(agent_id)

    async def get_http(self, agent_id: str, tool_id: str) -> HttpTool:
        return await self._http.get(agent_id, tool_id)

    async def update_http(
        self, agent_id: str, tool_id: str, *, actor: str, **fields: Any
    ) -> HttpTool:
        return await self._http.update(agent_id, tool_id, actor=actor, **fields)

    async def delete_http(self, agent_id: str, tool_id: str, *, actor: str) -> None:
        await self._http.delete(agent_id, tool_id, actor=actor)

    # MCP servers
    async def add_mcp(self, agent_id: str, *, actor: str, **fields: Any) -> McpServer:
        return await self._mcp.add(agent_id, actor=actor, **fields)

    async def mcp_servers(self, agent_id: str) -> list[McpServer]:
        return await self._mcp.of_agent(agent_id)

    async def get_mcp(self, agent_id: str, server_id: str) -> McpServer:
        return await self._mcp.get(agent_id, server_id)

    async def update_mcp(
        self, agent_id: str, server_id: str, *, actor: str, **fields: Any
    ) -> McpServer:
        return await self._mcp.update(agent_id, server_id, actor=actor, **fields)

    async def delete_mcp(self, agent_id: str, server_id: str, *, actor: str) -> None:
        await self._mcp.delete(agent_id, server_id, actor=actor)

    # Every tool, and approvals
    async def tools(self, agent_id: str) -> ToolListing:
        async with self._uow() as uow:
            agent = await uow.agents.get(agent_id)
        box = await self._catalog.toolbox(agent)
        infos = [
            ToolInfo(
                name,
                t.kind,
                t.spec.description,
                t.spec.parameters,
                t.requires_approval,
                t.source or None,
            )
            for name, t in box.tools.items()
        ]
        return ToolListing(infos, dict(box.unavailable))

    async def set_approval(
        self, agent_id: str, tool_name: str, requires_approval: bool, *, actor: str
    ) -> ToolPolicy:
        """Mark any tool name the agent can have (a built-in, one of its HTTP tools, or an
        allowed tool of one of its MCP servers) as needing an operator's approval, or not."""
        async with self._uow() as uow:
            await uow.agents.get(agent_id)
            known = set(BUILTIN_TOOLS) | {t.name for t in await uow.tools.http_tools(agent_id)}
            for server in await uow.tools.mcp_servers(agent_id):
                known |= {server.offered_name(t) for t in server.allowed_tools}
            if tool_name not in known:
                raise NotFound("tool", tool_name)
            policy = ToolPolicy(agent_id, tool_name, requires_approval)
            await uow.tools.set_policy(policy)
            await audit_agent(
                uow,
                self._ids,
                self._clock,
                actor,
                "tool.approval_policy",
                agent_id,
                tool=tool_name,
                requires_approval=requires_approval,
            )
            await uow.commit()
        return policy


__all__ = ["MCP_SEPARATOR", "AgentToolService", "ToolInfo", "ToolListing"]
