"""``SdkMcpClient``: MCP tools through the official ``mcp`` SDK over streamable HTTP.

Each call opens a session (handshake, one request, close) inside ``server.timeout_seconds``,
through ``CheckedTransport`` (the outbound rules at connect time). SDK and network errors
become ``McpUnavailable``; a refused address stays ``OutboundRefused``. Header values are
never logged.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from wa_agents.domain.model.agent_tools import McpServer
from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.outbound import parse_networks
from wa_agents.ports.mcp import McpCallResult, McpClient, McpTool, McpUnavailable
from wa_agents.ports.outbound import OutboundRefused


def _first_refusal(exc: BaseException) -> WaAgentsError | None:
    if isinstance(exc, WaAgentsError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = _first_refusal(inner)
            if found is not None:
                return found
    cause = exc.__cause__ or exc.__context__
    return _first_refusal(cause) if cause is not None and cause is not exc else None


def _text(result: Any) -> str:
    parts: list[str] = []
    for item in result.content or ():
        text = getattr(item, "text", None)
        parts.append(text if isinstance(text, str) else f"[{getattr(item, 'type', 'content')}]")
    if not parts and getattr(result, "structured_content", None) is not None:
        parts.append(json.dumps(result.structured_content))
    return "\n".join(parts)


class SdkMcpClient(McpClient):
    """``allow_cidrs``: the admin-allowed networks (``WA_OUTBOUND_ALLOW_CIDRS``)."""

    def __init__(self, allow_cidrs: Sequence[str] = ()) -> None:
        self._allowed = parse_networks(allow_cidrs)

    @asynccontextmanager
    async def _session(self, server: McpServer, headers: Mapping[str, str]) -> AsyncIterator[Any]:
        # Imported on first use: the SDK is large, and most servers start without MCP tools.
        import httpx2
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        from wa_agents.adapters.mcp.checked_transport import CheckedTransport

        transport = CheckedTransport(server.host, self._allowed)
        async with (
            httpx2.AsyncClient(
                transport=transport, headers=dict(headers), timeout=server.timeout_seconds
            ) as http,
            Client(streamable_http_client(server.url, http_client=http)) as client,
        ):
            yield client

    async def _run(self, server: McpServer, work: Any) -> Any:
        try:
            async with asyncio.timeout(server.timeout_seconds):
                return await work()
        except TimeoutError:
            raise McpUnavailable(
                f"MCP server {server.name!r} did not answer within {server.timeout_seconds:g} s"
            ) from None
        except Exception as exc:
            found = _first_refusal(exc)
            if isinstance(found, OutboundRefused | McpUnavailable):
                raise found from None
            raise McpUnavailable(
                f"MCP server {server.name!r} failed: {type(exc).__name__}"
            ) from None

    async def list_tools(self, server: McpServer, headers: Mapping[str, str]) -> list[McpTool]:
        async def work() -> list[McpTool]:
            async with self._session(server, headers) as client:
                listed = await client.list_tools()
            return [
                McpTool(t.name, t.description or "", dict(t.input_schema or {}))
                for t in listed.tools
            ]

        result: list[McpTool] = await self._run(server, work)
        return result

    async def call_tool(
        self, server: McpServer, headers: Mapping[str, str], name: str, arguments: dict[str, Any]
    ) -> McpCallResult:
        async def work() -> McpCallResult:
            async with self._session(server, headers) as client:
                result = await client.call_tool(name, arguments)
            return McpCallResult(_text(result), bool(result.is_error))

        called: McpCallResult = await self._run(server, work)
        return called
