"""``MemoryMcpClient``: pretend MCP servers, by URL, with the same allow-list of a server's
own tools. ``serve(url, name, fn, description, parameters)`` publishes a tool; ``calls``
records what reached it; a URL nobody serves is ``McpUnavailable``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wa_agents.domain.model.agent_tools import McpServer
from wa_agents.ports.mcp import McpCallResult, McpClient, McpTool, McpUnavailable


@dataclass
class _Served:
    tool: McpTool
    fn: Callable[[dict[str, Any]], str]


@dataclass
class MemoryMcpClient(McpClient):
    servers: dict[str, dict[str, _Served]] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, Any], dict[str, str]]] = field(default_factory=list)

    def serve(
        self,
        url: str,
        name: str,
        fn: Callable[[dict[str, Any]], str],
        description: str = "",
        parameters: dict[str, Any] | None = None,
    ) -> None:
        schema = parameters or {"type": "object", "properties": {}}
        self.servers.setdefault(url, {})[name] = _Served(McpTool(name, description, schema), fn)

    def _tools(self, server: McpServer) -> dict[str, _Served]:
        if server.url not in self.servers:
            raise McpUnavailable(f"MCP server {server.name!r} failed: ConnectError")
        return self.servers[server.url]

    async def list_tools(self, server: McpServer, headers: Mapping[str, str]) -> list[McpTool]:
        return [s.tool for s in self._tools(server).values()]

    async def call_tool(
        self, server: McpServer, headers: Mapping[str, str], name: str, arguments: dict[str, Any]
    ) -> McpCallResult:
        served = self._tools(server).get(name)
        if served is None:
            return McpCallResult(f"Unknown tool: {name}", is_error=True)
        self.calls.append((server.url, name, arguments, dict(headers)))
        return McpCallResult(served.fn(arguments))
