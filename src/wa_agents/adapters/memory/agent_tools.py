"""In-memory ``ToolRepository``: HTTP tools, MCP servers and policies in dicts. Every change
moves the owning agent's ``tools_version``."""

from __future__ import annotations

from dataclasses import replace

from wa_agents.adapters.memory.database import MemoryDatabase
from wa_agents.adapters.memory.table import Table
from wa_agents.domain.model.agent_tools import HttpTool, McpServer, ToolPolicy
from wa_agents.domain.model.errors import AlreadyExists
from wa_agents.ports.agent_tools import ToolRepository


class MemoryToolRepository(ToolRepository):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self._http: Table[str, HttpTool] = Table(
            lambda: db.http_tools, "http tool", lambda t: t.id, lambda t: t.name
        )
        self._mcp: Table[str, McpServer] = Table(
            lambda: db.mcp_servers, "MCP server", lambda s: s.id, lambda s: s.name
        )

    def _bump(self, *agent_ids: str) -> None:
        for agent_id in set(agent_ids):
            agent = self._db.agents.get(agent_id)
            if agent is not None:
                self._db.agents[agent_id] = replace(agent, tools_version=agent.tools_version + 1)

    async def add_http(self, tool: HttpTool) -> None:
        if any((t.agent_id, t.name) == (tool.agent_id, tool.name) for t in await self._all()):
            raise AlreadyExists("http tool", tool.name)
        self._http.add(tool)
        self._bump(tool.agent_id)

    async def _all(self) -> list[HttpTool]:
        return list(self._db.http_tools.values())

    async def get_http(self, tool_id: str) -> HttpTool:
        return self._http.get(tool_id)

    async def update_http(self, tool: HttpTool) -> None:
        clash = [t for t in await self._all() if (t.agent_id, t.name) == (tool.agent_id, tool.name)]
        if any(t.id != tool.id for t in clash):
            raise AlreadyExists("http tool", tool.name)
        before = self._http.get(tool.id).agent_id
        self._http.update(tool)
        self._bump(before, tool.agent_id)

    async def delete_http(self, tool_id: str) -> None:
        owner = self._http.get(tool_id).agent_id
        self._http.delete(tool_id)
        self._bump(owner)

    async def http_tools(self, agent_id: str) -> list[HttpTool]:
        return sorted(
            (t for t in await self._all() if t.agent_id == agent_id), key=lambda t: t.name
        )

    async def add_mcp(self, server: McpServer) -> None:
        if any(
            (s.agent_id, s.name) == (server.agent_id, server.name)
            for s in self._db.mcp_servers.values()
        ):
            raise AlreadyExists("MCP server", server.name)
        self._mcp.add(server)
        self._bump(server.agent_id)

    async def get_mcp(self, server_id: str) -> McpServer:
        return self._mcp.get(server_id)

    async def update_mcp(self, server: McpServer) -> None:
        if any(
            (s.agent_id, s.name) == (server.agent_id, server.name) and s.id != server.id
            for s in self._db.mcp_servers.values()
        ):
            raise AlreadyExists("MCP server", server.name)
        before = self._mcp.get(server.id).agent_id
        self._mcp.update(server)
        self._bump(before, server.agent_id)

    async def delete_mcp(self, server_id: str) -> None:
        owner = self._mcp.get(server_id).agent_id
        self._mcp.delete(server_id)
        self._bump(owner)

    async def mcp_servers(self, agent_id: str) -> list[McpServer]:
        found = (s for s in self._db.mcp_servers.values() if s.agent_id == agent_id)
        return sorted(found, key=lambda s: s.name)

    async def set_policy(self, policy: ToolPolicy) -> None:
        self._db.tool_policies[(policy.agent_id, policy.tool_name)] = policy
        self._bump(policy.agent_id)

    async def policies(self, agent_id: str) -> list[ToolPolicy]:
        found = (p for p in self._db.tool_policies.values() if p.agent_id == agent_id)
        return sorted(found, key=lambda p: p.tool_name)
