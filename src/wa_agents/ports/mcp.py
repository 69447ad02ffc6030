"""Calling tools on MCP servers (streamable HTTP).

``list_tools`` returns the tools the server lists, with their JSON-schema parameters;
``call_tool`` calls one and returns its text content (``is_error`` when the server says the
call failed). Both connect under the outbound rules (the server's host; after DNS, no
private, loopback, link-local or metadata address unless an admin allowed its CIDR) and give
up after ``server.timeout_seconds``. ``headers`` are sent as given (they may carry secrets:
adapters never log them). Failures raise ``McpUnavailable``; a refused address raises
``OutboundRefused``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from wa_agents.domain.model.agent_tools import McpServer
from wa_agents.domain.model.errors import InfrastructureError


class McpUnavailable(InfrastructureError):
    """The MCP server could not be reached, timed out, or broke the protocol."""


@dataclass(frozen=True, slots=True)
class McpTool:
    name: str
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class McpCallResult:
    text: str
    is_error: bool = False


class McpClient(Protocol):
    async def list_tools(self, server: McpServer, headers: Mapping[str, str]) -> list[McpTool]: ...
    async def call_tool(
        self, server: McpServer, headers: Mapping[str, str], name: str, arguments: dict[str, Any]
    ) -> McpCallResult: ...
