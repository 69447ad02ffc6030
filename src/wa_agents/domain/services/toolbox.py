"""The tools one agent has in a turn: built-in, HTTP and MCP, with their approval policies.

``ToolCatalog.toolbox(agent)`` gathers them (an MCP server that cannot be listed is left out
of that turn and logged, never a failed turn). The definitions are read once per
(agent, ``agent.tools_version``) and kept: every change to them moves the version the turn
reads with its agent, in this process or another, so a kept copy is never older than that.
``Toolbox.run`` runs one call, always inside the ``ToolContext``'s own session and contact,
and turns every failure into a ``ToolResult``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wa_agents.domain.model import json_schema
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.agent_tools import (
    HttpTool,
    McpServer,
    ToolKind,
    ToolPolicy,
    redact,
    resolve_headers,
)
from wa_agents.domain.model.chat import ToolCall, ToolSpec
from wa_agents.domain.model.errors import ValidationError, WaAgentsError
from wa_agents.domain.model.tools import BUILTIN_TOOLS, ToolResult
from wa_agents.domain.services.http_tools import MAX_RESULT_CHARS, call_http_tool
from wa_agents.domain.services.tools import IMPLEMENTATIONS, ToolContext
from wa_agents.ports.clock import Clock
from wa_agents.ports.mcp import McpClient, McpTool
from wa_agents.ports.outbound import OutboundHttp
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("wa_agents.tools")
MCP_LIST_TTL = timedelta(seconds=60)

Runner = Callable[[ToolContext, dict[str, Any]], Awaitable[ToolResult]]


@dataclass(frozen=True, slots=True)
class OfferedTool:
    spec: ToolSpec
    kind: ToolKind
    run: Runner
    requires_approval: bool = False
    source: str = ""  # the HTTP tool's or MCP server's id


@dataclass(frozen=True, slots=True)
class Toolbox:
    tools: Mapping[str, OfferedTool] = field(default_factory=dict)
    unavailable: Mapping[str, str] = field(default_factory=dict)  # MCP server -> why

    @property
    def specs(self) -> list[ToolSpec]:
        return [t.spec for t in self.tools.values()]

    def requires_approval(self, name: str) -> bool:
        tool = self.tools.get(name)
        return tool is not None and tool.requires_approval

    async def run(self, call: ToolCall, ctx: ToolContext) -> ToolResult:
        tool = self.tools.get(call.name)
        if tool is None:
            return ToolResult(f"error: tool {call.name!r} is not available", is_error=True)
        try:
            json_schema.check(call.arguments, tool.spec.parameters)
        except ValidationError as exc:
            return ToolResult(f"error: bad arguments: {exc}", is_error=True)
        try:
            return await tool.run(ctx, call.arguments)
        except Exception as exc:  # a tool must never crash the turn
            log.warning("tool %s failed: %s", call.name, type(exc).__name__)
            return ToolResult(f"error: the tool failed ({type(exc).__name__})", is_error=True)


def builtin_toolbox(enabled: tuple[str, ...], approvals: frozenset[str] = frozenset()) -> Toolbox:
    tools = {
        name: OfferedTool(
            BUILTIN_TOOLS[name], ToolKind.BUILTIN, IMPLEMENTATIONS[name], name in approvals
        )
        for name in enabled
        if name in BUILTIN_TOOLS and name in IMPLEMENTATIONS
    }
    return Toolbox(tools)


def _http_runner(
    tool: HttpTool, outbound: OutboundHttp | None, secrets: Mapping[str, str]
) -> Runner:
    async def run(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
        context = {"session_id": ctx.session_id, "contact_jid": ctx.contact_jid}
        return await call_http_tool(tool, args, context, outbound, secrets)

    return run


def _mcp_runner(
    server: McpServer, name: str, client: McpClient, secrets: Mapping[str, str]
) -> Runner:
    async def run(_ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
        try:
            headers, used = resolve_headers(server.headers, secrets)
        except ValidationError as exc:
            return ToolResult(f"error: {exc}", is_error=True)
        try:
            result = await client.call_tool(server, headers, name, args)
        except WaAgentsError as exc:
            return ToolResult(redact(f"error: the MCP server failed: {exc}", used), is_error=True)
        return ToolResult(redact(result.text[:MAX_RESULT_CHARS], used), is_error=result.is_error)

    return run


@dataclass(frozen=True, slots=True)
class _Definitions:
    version: int  # the agent's tools_version they were read at (or after)
    http: tuple[HttpTool, ...]  # shared by every turn of that version: never changed
    servers: tuple[McpServer, ...]
    policies: tuple[ToolPolicy, ...]


class ToolCatalog:
    """Builds toolboxes. ``secrets`` is where ``${WA_TOOL_SECRET_…}`` names are looked up
    (the server's environment); nothing else reads it."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        outbound: OutboundHttp | None = None,
        mcp: McpClient | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        self._uow, self._clock, self._outbound, self._mcp = uow, clock, outbound, mcp
        self._secrets: Mapping[str, str] = secrets if secrets is not None else {}
        self._listed: dict[tuple[str, datetime], tuple[datetime, list[McpTool]]] = {}
        self._definitions: dict[str, _Definitions] = {}  # by agent id, one version each

    async def _read(self, agent: Agent) -> _Definitions:
        kept = self._definitions.get(agent.id)
        if kept is not None and kept.version == agent.tools_version:
            return kept
        async with self._uow() as uow:  # read after ``agent``: at its version or a newer one
            http = tuple(await uow.tools.http_tools(agent.id))
            servers = tuple(await uow.tools.mcp_servers(agent.id))
            policies = tuple(await uow.tools.policies(agent.id))
        read = _Definitions(agent.tools_version, http, servers, policies)
        if kept is None or kept.version < read.version:  # an older turn never evicts a newer
            self._definitions[agent.id] = read
        return read

    async def toolbox(self, agent: Agent) -> Toolbox:
        definitions = await self._read(agent)
        policies, servers = definitions.policies, definitions.servers
        approvals = frozenset(p.tool_name for p in policies if p.requires_approval)
        tools = dict(builtin_toolbox(agent.tools, approvals).tools)
        for tool in definitions.http:
            spec = ToolSpec(tool.name, tool.description, tool.parameters)
            run = _http_runner(tool, self._outbound, self._secrets)
            tools[tool.name] = OfferedTool(
                spec, ToolKind.HTTP, run, tool.name in approvals, tool.id
            )
        unavailable: dict[str, str] = {}
        for server in servers:
            try:
                listed = await self._list(server)
            except WaAgentsError as exc:
                unavailable[server.name] = str(exc)
                log.warning(
                    "MCP server %s of agent %s is unavailable: %s", server.name, agent.id, exc
                )
                continue
            for item in listed:
                if item.name not in server.allowed_tools:
                    continue
                name = server.offered_name(item.name)
                parameters = _parameters(item.parameters)
                spec = ToolSpec(name, item.description or item.name, parameters)
                run = _mcp_runner(server, item.name, self._mcp_client(), self._secrets)
                tools[name] = OfferedTool(spec, ToolKind.MCP, run, name in approvals, server.id)
        return Toolbox(tools, unavailable)

    def _mcp_client(self) -> McpClient:
        if self._mcp is None:
            raise ValidationError("MCP tools are not available on this server")
        return self._mcp

    async def _list(self, server: McpServer) -> list[McpTool]:
        key, now = (server.id, server.updated_at), self._clock.now()
        cached = self._listed.get(key)
        if cached is not None and now - cached[0] < MCP_LIST_TTL:
            return cached[1]
        headers, _ = resolve_headers(server.headers, self._secrets)
        listed = await self._mcp_client().list_tools(server, headers)
        self._listed[key] = (now, listed)
        return listed


def _parameters(schema: dict[str, Any]) -> dict[str, Any]:
    """An MCP tool's input schema, as offered to the model (always an object schema)."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return {"type": "object", "properties": {}}
    return schema
