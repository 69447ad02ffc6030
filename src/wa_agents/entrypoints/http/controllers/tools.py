"""``/api/v1/agents/{id}/http-tools``, ``…/mcp-servers`` and ``…/tools``: an agent's tools."""

from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from wa_agents.domain.model.agent_tools import MCP_SEPARATOR, ToolKind
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.user import User
from wa_agents.domain.services.agent_tools import ToolInfo
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.http.dto.common import page_items
from wa_agents.entrypoints.http.dto.tools import (
    HttpToolIn,
    HttpToolOut,
    HttpToolPage,
    McpServerIn,
    McpServerOut,
    McpServerPage,
    ToolOut,
    ToolPage,
    ToolPolicyIn,
)
from wa_agents.entrypoints.http.errors import errors
from wa_agents.entrypoints.http.security import BEARER, OPERATOR, VIEWER

WRITE = errors(400, 401, 403, 404, 409, 413, 422)


class HttpToolController(Controller):
    path = "/api/v1/agents/{agent_id:str}/http-tools"
    tags = ("tools",)
    security = BEARER

    @post("/", guards=[OPERATOR], responses=WRITE, summary="Define an HTTP tool")
    async def create_http_tool(
        self,
        agent_id: FromPath[str],
        data: JSONBody[HttpToolIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> HttpToolOut:
        tool = await platform.agent_tools.add_http(agent_id, actor=user.username, **data.fields())
        return HttpToolOut.of(tool)

    @get("/", guards=[VIEWER], responses=errors(400, 401, 404), summary="An agent's HTTP tools")
    async def list_http_tools(
        self,
        agent_id: FromPath[str],
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
    ) -> HttpToolPage:
        found = await platform.agent_tools.http_tools(agent_id)
        items = page_items(found, page, HttpToolOut.of)
        return HttpToolPage(items, len(found), page.limit, page.offset)

    @get("/{tool_id:str}", guards=[VIEWER], responses=errors(401, 404), summary="One HTTP tool")
    async def get_http_tool(
        self, agent_id: FromPath[str], tool_id: FromPath[str], platform: NamedDependency[Platform]
    ) -> HttpToolOut:
        return HttpToolOut.of(await platform.agent_tools.get_http(agent_id, tool_id))

    @put("/{tool_id:str}", guards=[OPERATOR], responses=WRITE, summary="Replace an HTTP tool")
    async def replace_http_tool(
        self,
        agent_id: FromPath[str],
        tool_id: FromPath[str],
        data: JSONBody[HttpToolIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> HttpToolOut:
        tool = await platform.agent_tools.update_http(
            agent_id, tool_id, actor=user.username, **data.fields()
        )
        return HttpToolOut.of(tool)

    @delete("/{tool_id:str}", guards=[OPERATOR], responses=errors(401, 403, 404))
    async def delete_http_tool(
        self,
        agent_id: FromPath[str],
        tool_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> None:
        await platform.agent_tools.delete_http(agent_id, tool_id, actor=user.username)


class McpServerController(Controller):
    path = "/api/v1/agents/{agent_id:str}/mcp-servers"
    tags = ("tools",)
    security = BEARER

    @post("/", guards=[OPERATOR], responses=WRITE, summary="Attach an MCP server")
    async def create_mcp_server(
        self,
        agent_id: FromPath[str],
        data: JSONBody[McpServerIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> McpServerOut:
        server = await platform.agent_tools.add_mcp(agent_id, actor=user.username, **data.fields())
        return McpServerOut.of(server)

    @get("/", guards=[VIEWER], responses=errors(400, 401, 404), summary="An agent's MCP servers")
    async def list_mcp_servers(
        self,
        agent_id: FromPath[str],
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
    ) -> McpServerPage:
        found = await platform.agent_tools.mcp_servers(agent_id)
        items = page_items(found, page, McpServerOut.of)
        return McpServerPage(items, len(found), page.limit, page.offset)

    @get("/{server_id:str}", guards=[VIEWER], responses=errors(401, 404), summary="One server")
    async def get_mcp_server(
        self,
        agent_id: FromPath[str],
        server_id: FromPath[str],
        platform: NamedDependency[Platform],
    ) -> McpServerOut:
        return McpServerOut.of(await platform.agent_tools.get_mcp(agent_id, server_id))

    @put("/{server_id:str}", guards=[OPERATOR], responses=WRITE, summary="Replace a server")
    async def replace_mcp_server(
        self,
        agent_id: FromPath[str],
        server_id: FromPath[str],
        data: JSONBody[McpServerIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> McpServerOut:
        server = await platform.agent_tools.update_mcp(
            agent_id, server_id, actor=user.username, **data.fields()
        )
        return McpServerOut.of(server)

    @delete("/{server_id:str}", guards=[OPERATOR], responses=errors(401, 403, 404))
    async def delete_mcp_server(
        self,
        agent_id: FromPath[str],
        server_id: FromPath[str],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> None:
        await platform.agent_tools.delete_mcp(agent_id, server_id, actor=user.username)


class AgentToolController(Controller):
    path = "/api/v1/agents/{agent_id:str}/tools"
    tags = ("tools",)
    security = BEARER

    @get(
        "/",
        guards=[VIEWER],
        responses=errors(400, 401, 404),
        summary="Every tool the agent's model is offered",
        description="Built-in, HTTP and MCP tools with their JSON-schema parameters and "
        "approval flags; MCP servers that cannot be listed right now are in `unavailable`.",
    )
    async def list_tools(
        self,
        agent_id: FromPath[str],
        platform: NamedDependency[Platform],
        page: NamedDependency[PageRequest],
    ) -> ToolPage:
        listing = await platform.agent_tools.tools(agent_id)
        items = page_items(listing.tools, page, ToolOut.of)
        return ToolPage(items, len(listing.tools), page.limit, page.offset, listing.unavailable)

    @put(
        "/{tool_name:str}/approval",
        guards=[OPERATOR],
        responses=errors(400, 401, 403, 404, 413),
        summary="Require (or stop requiring) an operator's approval for a tool",
        description="Any tool name the agent can have: a built-in, one of its HTTP tools, or "
        "`<server>__<tool>` for an allowed tool of one of its MCP servers.",
    )
    async def set_tool_approval(
        self,
        agent_id: FromPath[str],
        tool_name: FromPath[str],
        data: JSONBody[ToolPolicyIn],
        platform: NamedDependency[Platform],
        user: NamedDependency[User],
    ) -> ToolOut:
        await platform.agent_tools.set_approval(
            agent_id, tool_name, data.requires_approval, actor=user.username
        )
        listing = await platform.agent_tools.tools(agent_id)
        found = next((t for t in listing.tools if t.name == tool_name), None)
        if found is None:  # a built-in the agent has not enabled, or an unlisted MCP tool
            kind = ToolKind.MCP if MCP_SEPARATOR in tool_name else ToolKind.BUILTIN
            found = ToolInfo(tool_name, kind, "", {}, data.requires_approval)
        return ToolOut.of(found)
